"""JWT node (``n8n-nodes-base.jwt`` v1): sign, decode and verify tokens with a `jwtAuth` credential.

PyJWT stands in for jsonwebtoken: the payload is the claims as given (plus `iat`, which
jsonwebtoken adds), the `kid` option goes to the header, and the credential's key type decides
between the passphrase and the PEM keys. The signing time is the run's clock (repeatable).
"""

from __future__ import annotations

import json
import re
import warnings
from typing import Any

import jwt
from jwt.warnings import InsecureKeyLengthWarning

from n8n_runtime.nodes.base import Item, NodeError, NodeOutput, NodeRun
from n8n_runtime.nodes.data._credentials import credential
from n8n_runtime.nodes.data._fields import item_json, options, param

_DEFAULT_CLAIMS = '{\n  "my_field_1": "value 1",\n  "my_field_2": "value 2"\n}\n'


def run_jwt(run: NodeRun) -> NodeOutput:
    """``sign`` (default), ``decode`` or ``verify`` each item; continue-on-fail keeps the item."""
    operation = param(run, "operation", 0, "sign")
    creds = credential(run, "jwtAuth")
    continue_on_fail = run.node.settings.on_error != "stopWorkflow"
    output: list[Item] = []
    for index, item in enumerate(run.items):
        opts = options(run, index)
        try:
            with warnings.catch_warnings():
                # jsonwebtoken accepts HMAC secrets of any length; so does n8n, so does Hive.
                warnings.simplefilter("ignore", InsecureKeyLengthWarning)
                json_out = _one(run, operation, index, opts, creds)
        except NodeError as error:
            if not continue_on_fail:
                raise
            output.append(
                {"json": item_json(item), "error": {"message": error.message}, "pairedItem": {"item": index}}
            )
            continue
        output.append({"json": json_out, "pairedItem": {"item": index}})
    return [output]


def _one(
    run: NodeRun, operation: str, index: int, opts: dict[str, Any], creds: dict[str, str]
) -> dict[str, Any]:
    algorithm = str(opts.get("algorithm") or creds.get("algorithm") or "HS256")
    pem = creds.get("keyType") == "pemKey"
    if operation == "sign":
        if param(run, "useJson", index, False):
            raw = param(run, "claimsJson", index, _DEFAULT_CLAIMS)
            try:
                payload = json.loads(raw) if isinstance(raw, str) else dict(raw)
            except ValueError:
                raise NodeError(
                    "The 'Payload Claims (JSON)' parameter is not valid JSON", item_index=index
                ) from None
        else:
            payload = dict(param(run, "claims", index, {}) or {})
        payload.setdefault("iat", int(run.extras.get("now_ms", 0)) // 1000)
        key = _format_key(creds.get("privateKey", "")) if pem else creds.get("secret", "")
        headers = {"kid": str(opts["kid"])} if opts.get("kid") else None
        try:
            token = jwt.encode(payload, key, algorithm=algorithm, headers=headers)
        except (jwt.PyJWTError, ValueError, TypeError) as error:
            raise NodeError(str(error), item_index=index) from None
        return {"token": token}
    token = param(run, "token", index, "")
    if not token:
        raise NodeError(
            "The JWT token was not provided",
            description="Be sure to add a valid JWT token to the 'Token' parameter",
            item_index=index,
        )
    complete = bool(opts.get("complete"))
    if operation == "decode":
        try:
            header = jwt.get_unverified_header(token)
            data = jwt.decode(token, options={"verify_signature": False})
        except jwt.PyJWTError as error:
            raise NodeError(str(error), item_index=index) from None
        return (
            {"header": header, "payload": data, "signature": str(token).rsplit(".", 1)[-1]}
            if complete
            else {"payload": data}
        )
    if operation != "verify":
        raise NodeError(f"The operation '{operation}' is not supported")
    key = _format_key(creds.get("publicKey", ""), public=True) if pem else creds.get("secret", "")
    try:
        data = jwt.decode(
            token,
            key,
            algorithms=[algorithm],
            leeway=float(opts.get("clockTolerance") or 0),
            options={
                "verify_exp": not opts.get("ignoreExpiration"),
                "verify_nbf": not opts.get("ignoreNotBefore"),
                "verify_aud": False,
                "verify_iat": False,
            },
        )
    except jwt.InvalidSignatureError:
        raise NodeError(
            "The JWT token can't be verified",
            description=(
                "Be sure that the provided JWT token is correctly encoded and matches the selected "
                "credentials"
            ),
            item_index=index,
        ) from None
    except jwt.PyJWTError as error:
        raise NodeError(str(error), item_index=index) from None
    if complete:
        return {
            "header": jwt.get_unverified_header(token),
            "payload": data,
            "signature": str(token).rsplit(".", 1)[-1],
        }
    return {"payload": data}


def _format_key(key: str, *, public: bool = False) -> str:
    """n8n's `formatPrivateKey`: a PEM pasted on one line gets its line breaks back."""
    if not key or "\n" in key:
        return key
    marker = re.compile(r"(PUBLIC KEY)" if public else r"(PRIVATE KEY|CERTIFICATE)")
    out = ""
    for part in (p for p in key.split("-----") if p):
        if marker.search(part):
            out += f"-----{part}-----"
        else:
            out += re.sub(r"\s+", "\n", part.replace("\\n", "\n"))
    return out


__all__ = ["run_jwt"]
