"""`hive up`: the embedded local stack (Temporal dev server, API, worker) under one supervisor."""
