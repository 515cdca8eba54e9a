"""The only place that wires workflows, activities and task queues together."""
