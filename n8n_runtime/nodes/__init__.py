"""Node implementations: pure functions of (NodeRun) -> items per output."""
