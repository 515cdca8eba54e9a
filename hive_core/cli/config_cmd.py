"""`hive config check`: validate a hive.yaml and summarise it."""

from __future__ import annotations

from pathlib import Path

import typer

from hive_core.cli.common import one_line_errors, out
from hive_core.config import ClusterConfig, load_cluster_config, normalize_model_name


def unserved_alias_targets(cluster: ClusterConfig) -> list[str]:
    """Cluster models `model_aliases` maps to that no enabled agent serves (calls would fail)."""
    aliases = cluster.aliases
    targets = {*aliases.chat.values(), *aliases.embeddings.values()}
    for defaults in aliases.providers.values():
        targets.update(t for t in (defaults.chat, defaults.embeddings) if t)
    served = {normalize_model_name(m) for m in cluster.models}
    return sorted(t for t in targets if normalize_model_name(t) not in served)


app = typer.Typer(help="Cluster description (hive.yaml).", no_args_is_help=True)


@app.command("check")
@one_line_errors
def check(path: Path = typer.Argument(Path("config/hive.yaml"), help="hive.yaml to validate")) -> None:
    """Validate a hive.yaml; exit 2 with the bad path and value if it is invalid."""
    cluster = load_cluster_config(path)
    out.print(f"{path}: ok — cluster {cluster.cluster.name!r}, {len(cluster.agents)} agent(s)")
    for agent in cluster.agents.values():
        out.print(
            f"  {agent.id:<12} {agent.endpoint:<32} models={','.join(agent.models)} "
            f"slots={agent.max_concurrent}",
            highlight=False,
        )
    for target in unserved_alias_targets(cluster):
        out.print(
            f"  [yellow]warning:[/] model_aliases maps models to {target!r}, which no enabled agent serves",
            highlight=False,
        )
