"""What tasks and reviews ask the agents, and how their answers are read (pure, deterministic)."""

from __future__ import annotations

import json
import re

from pydantic import BaseModel, ValidationError

from hive_core.ollama.types import ChatMessage
from hive_core.projects.models import Artifact, TaskContext, Verdict

_FENCE = re.compile(r"```([\w+.#-]*)[^\n]*\n(.*?)```", re.DOTALL)

VERDICT_SCHEMA = {
    "type": "object",
    "properties": {
        "verdict": {"type": "string", "enum": ["approve", "request_changes"]},
        "comments": {"type": "array", "items": {"type": "string"}},
    },
    "required": ["verdict", "comments"],
}


class _VerdictReply(BaseModel):
    verdict: str
    comments: list[str] = []


def _context_block(context: list[TaskContext]) -> str:
    if not context:
        return ""
    parts = [f"### {item.title}\n{item.result}" for item in context]
    return "\n\nResults of the tasks this one builds on:\n\n" + "\n\n".join(parts)


def task_messages(
    title: str, description: str, goal: str | None, context: list[TaskContext]
) -> list[ChatMessage]:
    system = (
        "You are an AI development agent in a team. Do the task you are given and answer with the "
        "work product itself; put any code in fenced code blocks with their language."
    )
    goal_line = f"\n\nProject goal: {goal}" if goal and goal not in description else ""
    user = f"Task: {title}\n\n{description}{goal_line}{_context_block(context)}"
    return [ChatMessage(role="system", content=system), ChatMessage(role="user", content=user)]


def author_messages(
    task: str, context: list[TaskContext], previous: str | None, comments: list[str]
) -> list[ChatMessage]:
    system = "You are a software engineer. Answer with the complete code in one fenced code block."
    if previous is None:
        user = f"Write the code for this task.\n\n{task}{_context_block(context)}"
    else:
        listed = "\n".join(f"- {comment}" for comment in comments) or "- (no comments given)"
        user = (
            f"Task:\n{task}\n\nYour code:\n```\n{previous}\n```\n\nReviewers asked for changes:\n{listed}\n\n"
            "Revise the code. Answer with the complete revised code."
        )
    return [ChatMessage(role="system", content=system), ChatMessage(role="user", content=user)]


def reviewer_messages(task: str, code: str) -> list[ChatMessage]:
    system = (
        "You are a strict code reviewer. Judge whether the code does the task correctly and safely. "
        'Answer in JSON: {"verdict": "approve" or "request_changes", "comments": [what must change]}.'
    )
    user = f"Task:\n{task}\n\nCode to review:\n```\n{code}\n```"
    return [ChatMessage(role="system", content=system), ChatMessage(role="user", content=user)]


def artifacts_of(text: str) -> list[Artifact]:
    """Each fenced code block of an answer, named by its position and language."""
    found = []
    for index, match in enumerate(_FENCE.finditer(text), start=1):
        language = match.group(1) or None
        found.append(
            Artifact(
                name=f"block-{index}{'.' + language if language else ''}",
                language=language,
                content=match.group(2),
            )
        )
    return found


def code_of(text: str) -> str:
    """The code of an author's answer: its first fenced block, else the whole answer."""
    blocks = artifacts_of(text)
    return blocks[0].content if blocks else text.strip()


def read_verdict(reviewer: str, model: str, reply: str) -> Verdict:
    """The reviewer's structured verdict, or a verdict that records why it could not be read."""
    try:
        parsed = _VerdictReply.model_validate(json.loads(reply))
    except (ValueError, ValidationError) as exc:
        return Verdict(
            reviewer=reviewer, model=model, error=f"the reviewer's answer is not a verdict: {str(exc)[:200]}"
        )
    if parsed.verdict not in ("approve", "request_changes"):
        return Verdict(reviewer=reviewer, model=model, error=f"unknown verdict {parsed.verdict!r}")
    return Verdict(reviewer=reviewer, model=model, verdict=parsed.verdict, comments=parsed.comments)


__all__ = [
    "VERDICT_SCHEMA",
    "artifacts_of",
    "author_messages",
    "code_of",
    "read_verdict",
    "reviewer_messages",
    "task_messages",
]
