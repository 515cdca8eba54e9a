"""TOTP node (``n8n-nodes-base.totp`` v1): the current time-based one-time password (RFC 6238).

The secret comes from the node's `totpApi` credential, resolved inside the activity; the time is
the run's clock, so a replay yields the same token.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import struct

from n8n_runtime.nodes.base import Item, NodeError, NodeOutput, NodeRun
from n8n_runtime.nodes.data._credentials import credential
from n8n_runtime.nodes.data._fields import options, param

_DIGESTS = {"SHA1": hashlib.sha1, "SHA224": hashlib.sha224, "SHA256": hashlib.sha256,
            "SHA384": hashlib.sha384, "SHA512": hashlib.sha512}  # fmt: skip


def run_totp(run: NodeRun) -> NodeOutput:
    """``generateSecret`` (the only operation): `{token, secondsRemaining}` per item."""
    operation = param(run, "operation", 0, "generateSecret")
    if operation != "generateSecret":
        raise NodeError(f"The operation '{operation}' is not supported")
    creds = credential(run, "totpApi")
    secret = str(creds.get("secret", ""))
    label = str(creds.get("label", ""))
    if ":" not in label:
        raise NodeError("Malformed label - expected 'issuer:username'")
    now_s = int(run.extras.get("now_ms", 0)) / 1000
    output: list[Item] = []
    for index in range(len(run.items)):
        opts = options(run, index)
        algorithm = str(opts.get("algorithm", "SHA1"))
        digits = int(opts.get("digits", 6))
        period = int(opts.get("period", 30))
        token = totp(secret, now_s, algorithm=algorithm, digits=digits, period=period)
        remaining = int(period * (1 - ((now_s / period) % 1)))
        output.append(
            {"json": {"token": token, "secondsRemaining": remaining}, "pairedItem": {"item": index}}
        )
    return [output]


def totp(secret: str, now_s: float, *, algorithm: str = "SHA1", digits: int = 6, period: int = 30) -> str:
    """RFC 6238 over a base32 secret (spaces and padding tolerated, as OTPAuth does)."""
    digest = _DIGESTS.get(algorithm.upper())
    if digest is None:
        raise NodeError(f"The algorithm '{algorithm}' is not supported")
    cleaned = secret.replace(" ", "").upper().rstrip("=")
    try:
        key = base64.b32decode(cleaned + "=" * (-len(cleaned) % 8))
    except (binascii.Error, ValueError):
        raise NodeError("The TOTP secret is not valid base32") from None
    counter = int(now_s // period)
    mac = hmac.new(key, struct.pack(">Q", counter), digest).digest()
    offset = mac[-1] & 0x0F
    code = (struct.unpack(">I", mac[offset : offset + 4])[0] & 0x7FFFFFFF) % (10**digits)
    return str(code).zfill(digits)


__all__ = ["run_totp", "totp"]
