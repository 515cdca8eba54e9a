"""A real IMAP server for tests: Debian's dovecot, configured in a temp dir on a free port.

`dovecot -c <config>` runs with its own base, state and log dirs, a passwd-file with one test
user and Maildir storage under the temp dir, so no system configuration changes. Mail is
delivered with IMAP APPEND (imaplib), as a mail client would store it.
"""

from __future__ import annotations

import imaplib
import os
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

from hive_core.stack.ports import free_port

DOVECOT = shutil.which("dovecot") or "/usr/sbin/dovecot"


@dataclass(frozen=True)
class ImapServer:
    host: str
    port: int
    user: str
    password: str
    root: Path

    def connect(self) -> imaplib.IMAP4:
        imap = imaplib.IMAP4(self.host, self.port)
        imap.login(self.user, self.password)
        return imap

    def deliver(self, message: bytes, mailbox: str = "INBOX") -> None:
        """Store ``message`` (RFC 822 bytes) unseen in ``mailbox``."""
        imap = self.connect()
        try:
            imap.append(mailbox, "", imaplib.Time2Internaldate(time.time()), message)
        finally:
            imap.logout()

    def seen(self, mailbox: str = "INBOX") -> list[bool]:
        """Per message of ``mailbox``, whether it is flagged \\Seen."""
        imap = self.connect()
        try:
            imap.select(mailbox, readonly=True)
            _, data = imap.fetch("1:*", "(FLAGS)")
            return [b"\\Seen" in line for line in data if isinstance(line, bytes)]
        finally:
            imap.logout()


def _config(root: Path, port: int, internal: str, login: str, uid: int, gid: int) -> str:
    return f"""
base_dir = {root}/run
state_dir = {root}/state
log_path = {root}/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
first_valid_uid = 0
default_internal_user = {internal}
default_login_user = {login}
mail_location = maildir:{root}/mail/%u
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {root}/passwd
}}
userdb {{
  driver = static
  args = uid={uid} gid={gid} home={root}/home/%u
}}
service imap-login {{
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    port = 0
  }}
}}
service anvil {{
  chroot =
}}
service imap-login {{
  chroot =
}}
"""


@contextmanager
def imap_server() -> Iterator[ImapServer]:
    """Start dovecot on a free port with user `hive` / password `imap-secret` (skips without it).

    Its directory is a fresh one under /tmp, not pytest's (whose parents are private to root,
    and dovecot's unprivileged login processes must reach their sockets)."""
    if not Path(DOVECOT).exists():
        pytest.skip("dovecot is not installed (apt-get install -y dovecot-imapd; .ci/run installs it)")
    import pwd

    # dovecot's login processes refuse to run as root: the package's unprivileged users.
    me = pwd.getpwuid(os.getuid()).pw_name
    internal, login = ("dovecot", "dovenull") if os.getuid() == 0 else (me, me)
    # ... and so do its mail processes: as root, the mail belongs to the `dovecot` user.
    owner = pwd.getpwnam(internal) if os.getuid() == 0 else pwd.getpwuid(os.getuid())
    root = Path(tempfile.mkdtemp(prefix="hive-imap-"))
    root.chmod(0o755)  # the login processes (dovenull) reach their sockets under it
    port = free_port()
    for folder in ("run", "state", "mail", "home"):
        (root / folder).mkdir(parents=True, exist_ok=True)
    for folder in ("mail", "home"):
        os.chown(root / folder, owner.pw_uid, owner.pw_gid)
    (root / "passwd").write_text("hive:{PLAIN}imap-secret\n")
    config = root / "dovecot.conf"
    config.write_text(_config(root, port, internal, login, owner.pw_uid, owner.pw_gid))
    # dovecot forks into the background: its output goes to a file, not to pipes we would wait on.
    with open(root / "start.log", "w") as out:
        code = subprocess.run([DOVECOT, "-c", str(config)], stdout=out, stderr=out, timeout=30).returncode
    if code != 0:
        raise AssertionError(f"dovecot did not start: {(root / 'start.log').read_text()}")
    try:
        deadline = time.monotonic() + 15
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if time.monotonic() > deadline:
                    log = (root / "dovecot.log").read_text() if (root / "dovecot.log").exists() else ""
                    raise AssertionError(f"dovecot is not listening on {port}:\n{log}") from None
                time.sleep(0.1)
        yield ImapServer("127.0.0.1", port, "hive", "imap-secret", root)
    finally:
        subprocess.run(
            [DOVECOT, "-c", str(config), "stop"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            timeout=30,
        )
        shutil.rmtree(root, ignore_errors=True)
