"""n8n webhooks served by the API: matching a request to an active workflow, its trigger data."""
