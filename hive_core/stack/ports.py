"""Local port checks, so a busy port is one clear line instead of a child's traceback."""

from __future__ import annotations

import socket

from hive_core.errors import PortInUseError


def port_is_free(port: int, host: str = "127.0.0.1") -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        try:
            sock.bind((host, port))
        except OSError:
            return False
    return True


def free_port(host: str = "127.0.0.1") -> int:
    """A port the OS says is free now (a race is possible, acceptable for local dev)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        port: int = sock.getsockname()[1]
        return port


def require_free_ports(ports: dict[str, int], host: str = "127.0.0.1") -> None:
    """Raise PortInUseError naming every busy port and the flag that moves it."""
    busy = [f"{what} port {port}" for what, port in ports.items() if not port_is_free(port, host)]
    if busy:
        raise PortInUseError(
            f"{', '.join(busy)} already in use on {host} "
            "(another Hive stack? pick other ports with --api-port/--temporal-port/--ui-port "
            "or stop it)",
            ports=busy,
        )
