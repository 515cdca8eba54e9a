"""The credential store's key and cipher: Fernet (AES-128-CBC + HMAC-SHA256) over JSON.

Where the key comes from, first found wins:

1. ``HIVE_CREDENTIALS__KEY`` (setting ``credentials.key``): one or more Fernet keys separated
   by commas. The first encrypts; every one decrypts, so a key is rotated by putting the new one
   first (rows are re-encrypted with it when they are next written).
2. The key file (``credentials.key_file``, default ``<data_dir>/credentials.key``): created on
   first use with a new random key, mode 0600 (readable by the owner only).

A row encrypted with a key that is no longer configured cannot be read: that is a
``CredentialKeyError`` naming the credential, never a silent empty credential.
"""

from __future__ import annotations

import json
import logging
import os
import stat
from pathlib import Path
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet

from hive_core.errors import ConfigError
from hive_core.settings import HiveSettings

log = logging.getLogger(__name__)

KEY_FILE_NAME = "credentials.key"


class CredentialKeyError(ConfigError):
    """The configured key cannot decrypt a stored credential (or the key itself is malformed)."""


class CredentialCipher:
    """Encrypts credential data (a JSON object) to a Fernet token and back."""

    def __init__(self, keys: list[bytes]) -> None:
        """Args:
        keys: Fernet keys (urlsafe base64 of 32 bytes); the first encrypts.
        """
        if not keys:
            raise CredentialKeyError("no credential key configured")
        try:
            self._fernet = MultiFernet([Fernet(key) for key in keys])
        except ValueError as error:
            raise CredentialKeyError(
                "the credential key is not a Fernet key (32 url-safe base64-encoded bytes; "
                "make one with `python -c 'from cryptography.fernet import Fernet; "
                "print(Fernet.generate_key().decode())'`)"
            ) from error

    def encrypt(self, data: dict[str, Any]) -> str:
        """The Fernet token of ``data`` as JSON."""
        return self._fernet.encrypt(json.dumps(data, separators=(",", ":")).encode()).decode()

    def decrypt(self, token: str, *, credential: str) -> dict[str, Any]:
        """The data ``token`` holds; ``credential`` names it in the error.

        Raises:
            CredentialKeyError: the token was written with a key that is not configured.
        """
        try:
            plain = self._fernet.decrypt(token.encode())
        except InvalidToken:
            raise CredentialKeyError(
                f"credential {credential} cannot be decrypted with the configured key "
                "(HIVE_CREDENTIALS__KEY or the key file): it was stored with another key",
                credential=credential,
            ) from None
        data = json.loads(plain)
        return data if isinstance(data, dict) else {}

    def rotate(self, token: str, *, credential: str) -> str:
        """``token`` re-encrypted with the first key (after a key rotation).

        Raises:
            CredentialKeyError: no configured key can read it.
        """
        try:
            return self._fernet.rotate(token.encode()).decode()
        except InvalidToken:
            raise CredentialKeyError(
                f"credential {credential} cannot be decrypted with any configured key", credential=credential
            ) from None


def key_file_path(settings: HiveSettings) -> Path:
    """Where the key file is (whether or not it exists yet)."""
    return settings.credentials.key_file or settings.data_dir / KEY_FILE_NAME


def load_cipher(settings: HiveSettings) -> CredentialCipher:
    """The cipher of the configured key; creates the key file on first use (mode 0600)."""
    if settings.credentials.key is not None:
        keys = [
            k.strip().encode() for k in settings.credentials.key.get_secret_value().split(",") if k.strip()
        ]
        return CredentialCipher(keys)
    return CredentialCipher([_read_or_create_key_file(key_file_path(settings))])


def _read_or_create_key_file(path: Path) -> bytes:
    if not path.exists():
        _create_key_file(path)
    mode = stat.S_IMODE(path.stat().st_mode)
    if mode & 0o077:
        log.warning("credential key file %s is readable by others (mode %o); chmod 600 it", path, mode)
    key = path.read_bytes().strip()
    if not key:
        raise CredentialKeyError(f"the credential key file {path} is empty")
    return key


def _create_key_file(path: Path) -> None:
    """Write a new key to ``path`` atomically: the API and the worker may start at once."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(Fernet.generate_key() + b"\n")
    try:
        # link() fails if the name exists: whoever links first wins, the others read its key.
        os.link(temporary, path)
        log.info("created the credential key file %s (back it up: stored credentials need it)", path)
    except FileExistsError:
        pass
    finally:
        temporary.unlink(missing_ok=True)


__all__ = ["KEY_FILE_NAME", "CredentialCipher", "CredentialKeyError", "key_file_path", "load_cipher"]
