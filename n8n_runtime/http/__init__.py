"""n8n's HTTP Request node (`n8n-nodes-base.httpRequest` v3, 4, 4.1, 4.2) over httpx.

`run_http_request(run, client, credentials)` is called from a Temporal activity, which owns the
`httpx.AsyncClient` and the retry policy. Modules: `_options` (the options collection),
`_request` (parameters → request), `_auth` (credentials → headers/query/body), `_body` (query
and body encoding), `_send` (httpx, redirects, size cap), `_response` (response → items),
`_pagination` and `_page_expressions`, `credentials` (resolver over hive.yaml), `errors`.

Errors, and who handles them::

    NodeError                       user-visible; the node's onError applies
    ├── HttpStatusError             status outside 2xx without neverError (n8n's NodeApiError:
    │                               "The resource you are requesting could not be found", ...)
    └── (plain NodeError)           bad URL/JSON parameter, invalid JSON response, binary data,
                                    response or output too large, TLS certificate rejected,
                                    too many redirects, unsupported credential type
    HttpTransportError              OperationalError (retryable): connection refused, DNS,
                                    timeout, connection reset — raised whatever onError says;
                                    the activity turns it into `to_node_error()` after retries
    NotFoundError                   UserError: a referenced credential is not configured

Secrets never appear in errors: credential values (and derived tokens) are replaced by
`**hidden**`, and Authorization-like headers are not reported.
"""

from n8n_runtime.http._page_expressions import EngineExpressions, PageExpressions
from n8n_runtime.http.credentials import (
    ConfigCredentials,
    CredentialResolver,
    CredentialSource,
    run_with_credentials,
)
from n8n_runtime.http.errors import HttpStatusError, HttpTransportError
from n8n_runtime.http.node import (
    DEFAULT_CONCURRENCY,
    DEFAULT_MAX_OUTPUT_BYTES,
    DEFAULT_MAX_RESPONSE_BYTES,
    NODE_TYPE,
    run_http_request,
)

__all__ = [
    "DEFAULT_CONCURRENCY",
    "DEFAULT_MAX_OUTPUT_BYTES",
    "DEFAULT_MAX_RESPONSE_BYTES",
    "NODE_TYPE",
    "ConfigCredentials",
    "CredentialResolver",
    "CredentialSource",
    "EngineExpressions",
    "HttpStatusError",
    "HttpTransportError",
    "PageExpressions",
    "run_http_request",
    "run_with_credentials",
]
