"""The n8n node host seen from Python: its wire contract, catalog and process management."""
