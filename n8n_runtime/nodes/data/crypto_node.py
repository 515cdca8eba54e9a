"""Crypto node (``n8n-nodes-base.crypto`` v1): hash, HMAC, sign and generate on JSON values.

`generate` draws from a generator seeded by the run's seed, the node name, run and item index,
so a replayed run produces the same values. Hash and HMAC of binary data read the item's file
(`binaryPropertyName`) through the execution's binary store.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import random
import uuid
from typing import Any

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, padding, rsa

from n8n_runtime.jsvalues import UNDEFINED, to_string
from n8n_runtime.nodes.base import Item, NodeError, NodeOutput, NodeRun
from n8n_runtime.nodes.data._fields import deep_copy, item_json, param, set_path
from n8n_runtime.nodes.files._binary import assert_binary, binary_handle

_HASHES = {
    "MD5": "md5", "SHA1": "sha1", "SHA256": "sha256", "SHA384": "sha384", "SHA512": "sha512",
    "SHA3-256": "sha3_256", "SHA3-384": "sha3_384", "SHA3-512": "sha3_512",
}  # fmt: skip
_SIGN_DIGESTS: dict[str, hashes.HashAlgorithm] = {
    "SHA1": hashes.SHA1(), "SHA224": hashes.SHA224(), "SHA256": hashes.SHA256(),
    "SHA384": hashes.SHA384(), "SHA512": hashes.SHA512(), "MD5": hashes.MD5(),
}  # fmt: skip


def run_crypto(run: NodeRun) -> NodeOutput:
    """``hash`` (default), ``hmac``, ``sign`` or ``generate`` into `dataPropertyName`."""
    action = param(run, "action", 0, "hash")
    output: list[Item] = []
    for index, item in enumerate(run.items):
        value = _value(run, action, index)
        data = deep_copy(item_json(item))
        set_path(data, str(param(run, "dataPropertyName", index, "data")), value)
        new: Item = {"json": data, "pairedItem": {"item": index}}
        # n8n passes the binary data on unless the hash read it (`binaryProcessed`)
        if item.get("binary") and not _hashes_binary(run, action, index):
            new["binary"] = item["binary"]
        output.append(new)
    return [output]


def _encode(digest: bytes, encoding: str) -> str:
    return base64.b64encode(digest).decode() if encoding == "base64" else digest.hex()


def _hashes_binary(run: NodeRun, action: str, index: int) -> bool:
    return action in ("hash", "hmac") and bool(param(run, "binaryData", index, False))


def _data_error(value: Any) -> str:
    """Node's ``ERR_INVALID_ARG_TYPE`` text for ``hash.update(value)`` with a non-string value."""
    prefix = 'The "data" argument must be of type string or an instance of Buffer, TypedArray, or DataView.'
    if value is UNDEFINED:
        received = "undefined"
    elif value is None:
        received = "null"
    elif isinstance(value, bool):
        received = f"type boolean ({'true' if value else 'false'})"
    elif isinstance(value, int | float):
        received = f"type number ({to_string(value)})"
    else:
        received = f"an instance of {'Array' if isinstance(value, list) else 'Object'}"
    return f"{prefix} Received {received}"


def _text_value(run: NodeRun, index: int) -> bytes:
    # Not `param`: n8n hands the resolved value to `hash.update` as is, and Node refuses
    # anything but a string.
    value = run.params.get("value", index, "")
    if not isinstance(value, str):
        raise NodeError(_data_error(value), item_index=index)
    return value.encode()


def _value(run: NodeRun, action: str, index: int) -> Any:
    encoding = str(param(run, "encoding", index, "hex"))
    if action == "generate":
        return _generate(run, index)
    if action in ("hash", "hmac") and param(run, "binaryData", index, False):
        prop = str(param(run, "binaryPropertyName", index, "data"))
        text = binary_handle(run).get_bytes(assert_binary(run, index, prop))
    elif action in ("hash", "hmac"):
        text = _text_value(run, index)
    else:
        text = to_string(param(run, "value", index, "")).encode()
    if action == "hash":
        kind = str(param(run, "type", index, "MD5"))
        return _encode(hashlib.new(_algorithm(kind, index), text).digest(), encoding)
    if action == "hmac":
        kind = str(param(run, "type", index, "MD5"))
        secret = to_string(param(run, "secret", index, "")).encode()
        return _encode(hmac.new(secret, text, _algorithm(kind, index)).digest(), encoding)
    if action == "sign":
        return _encode(_sign(run, index, text), encoding)
    raise NodeError(f"The action '{action}' is not supported")


def _algorithm(kind: str, index: int) -> str:
    name = _HASHES.get(kind)
    if name is None:
        raise NodeError(f"The hash type '{kind}' is not supported", item_index=index)
    return name


def _sign(run: NodeRun, index: int, text: bytes) -> bytes:
    algorithm = str(param(run, "algorithm", index, "RSA-SHA256"))
    digest_name = algorithm.upper().removeprefix("RSA-").replace("-", "")
    digest = _SIGN_DIGESTS.get(digest_name)
    if digest is None:
        raise NodeError(f"The signing algorithm '{algorithm}' is not supported", item_index=index)
    pem = to_string(param(run, "privateKey", index, "")).encode()
    try:
        key = serialization.load_pem_private_key(pem, password=None)
    except (ValueError, TypeError) as error:
        raise NodeError(f"The private key is not valid: {error}", item_index=index) from None
    if isinstance(key, rsa.RSAPrivateKey):
        return key.sign(text, padding.PKCS1v15(), digest)
    if isinstance(key, ec.EllipticCurvePrivateKey):
        return key.sign(text, ec.ECDSA(digest))
    if isinstance(key, ed25519.Ed25519PrivateKey):
        return key.sign(text)
    raise NodeError("The private key type is not supported", item_index=index)


def _generate(run: NodeRun, index: int) -> str:
    kind = str(param(run, "encodingType", index, "uuid"))
    seed = f"{run.extras.get('random_seed', 0)}:{run.node.name}:{run.run_index}:{index}"
    rng = random.Random(seed)
    if kind == "uuid":
        return str(uuid.UUID(int=rng.getrandbits(128), version=4))
    length = int(param(run, "stringLength", index, 32))
    raw = rng.randbytes(length)
    if kind == "base64":
        text = base64.b64encode(raw).decode()
    elif kind == "hex":
        text = raw.hex()
    else:  # Node's Buffer 'ascii' decoding keeps the low 7 bits of each byte
        text = "".join(chr(b & 0x7F) for b in raw)
    return text[:length]


__all__ = ["run_crypto"]
