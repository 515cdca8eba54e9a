"""n8n's Chat Trigger served by Hive: the hosted chat page and the `@n8n/chat` webhook protocol."""
