"""Print real conversations with the assistant, for the README's "Talking with it" section.

Starts the action server and the Rasa server on free loopback ports with the trained model
(`make train` first) and a throwaway tracker store, plays each conversation over REST and prints
it as Markdown: what the person typed, every reply, and the buttons offered.

    .venv/bin/python scripts/transcripts.py > /tmp/transcripts.md
"""

from __future__ import annotations

import sys
import tempfile
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.servers import RunningAssistant, start_assistant  # noqa: E402

CONVERSATIONS = {
    "A sign, then asking how": [
        "I always say yes when he asks for something, even when I'm exhausted",
        "ok so how do I even start with that?",
        "why would that matter though",
    ],
    "Push-back": [
        "I do all the cooking, cleaning and the bills, and I never ask him to help",
        "well somebody has to pay the bills",
        "he just isn't good with money, it's not that simple",
    ],
}


def as_markdown(title: str, turns: list[tuple[str, list[dict]]]) -> str:
    lines = [f"**{title}**", "", "```text"]
    for said, replies in turns:
        lines.append(f"You:   {said}")
        for reply in replies:
            text = (reply.get("text") or "").replace("\n", "\n       ")
            lines.append(f"Coach: {text}")
            titles = [button.get("title", "") for button in reply.get("buttons") or []]
            if titles:
                lines.append("       [" + "] [".join(titles) + "]")
        lines.append("")
    lines[-1] = "```"
    return "\n".join(lines)


def play(assistant: RunningAssistant, messages: list[str]) -> list[tuple[str, list[dict]]]:
    sender = f"transcript-{uuid.uuid4().hex[:8]}"
    return [(message, assistant.send(sender, message)) for message in messages]


def main() -> None:
    with tempfile.TemporaryDirectory() as workdir, start_assistant(Path(workdir)) as assistant:
        blocks = [as_markdown(title, play(assistant, messages)) for title, messages in CONVERSATIONS.items()]
    print("\n\n".join(blocks))


if __name__ == "__main__":
    main()
