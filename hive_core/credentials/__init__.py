"""Hive's credential store: n8n credentials (type, name, id) with their data encrypted at rest.

Modules: `crypto` (the key and Fernet cipher), `store` (rows: create/list/get/update/delete/find),
`n8n_export` (what `n8n export:credentials --decrypted` writes → the store), `resolver` (the
activities' `CredentialSource`: store first, then hive.yaml), `oauth2` (token renewal),
`checks` (a credential's own test), `references` (workflow nodes' references the store lacks),
`node_host_key` (the service key `hive up` gives the node host).
"""

from hive_core.credentials.crypto import CredentialCipher, CredentialKeyError, key_file_path, load_cipher
from hive_core.credentials.n8n_export import ExportedCredential, ImportReport, import_credentials, read_export
from hive_core.credentials.node_host_key import NODE_HOST_KEY_NAME, issue_node_host_key
from hive_core.credentials.references import credential_warnings
from hive_core.credentials.resolver import StoreCredentials
from hive_core.credentials.store import (
    CredentialSummary,
    ResolvedCredential,
    create_credential,
    decrypt_data,
    delete_credential,
    find_credential,
    get_credential,
    list_credentials,
    resolved,
    update_credential,
)

__all__ = [
    "NODE_HOST_KEY_NAME",
    "CredentialCipher",
    "CredentialKeyError",
    "CredentialSummary",
    "ExportedCredential",
    "ImportReport",
    "ResolvedCredential",
    "StoreCredentials",
    "create_credential",
    "credential_warnings",
    "decrypt_data",
    "delete_credential",
    "find_credential",
    "get_credential",
    "import_credentials",
    "issue_node_host_key",
    "key_file_path",
    "list_credentials",
    "load_cipher",
    "read_export",
    "resolved",
    "update_credential",
]
