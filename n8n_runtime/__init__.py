"""n8n semantics at run time: expressions, Code nodes, node implementations, the scheduler."""
