"""Which messages the result of a check-in is told in, decided without sending anything.

Each `Reply` names a domain response (domain/reflection.yml holds the wording) plus the values
it fills in and any buttons. Keeping this pure lets tests read the summary a person would get.
"""

import json
from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional

from actions.reflection.catalogue import Catalogue
from actions.reflection.scoring import EASIER, Change, Result

MAX_CHANGES_TOLD = 3


@dataclass(frozen=True)
class Reply:
    response: str
    variables: Dict[str, Any] = field(default_factory=dict)
    buttons: List[Dict[str, str]] = field(default_factory=list)


def coaching_payload(topic: str) -> str:
    return "/ask_coaching" + json.dumps({"topic": topic}, separators=(",", ":"))


def lean_reply(result: Result) -> Reply:
    return Reply(f"utter_reflection_result_lean_{result.lean or 'none'}")


def stood_out_reply(
    result: Result, said: Dict[str, Optional[str]], catalogue: Catalogue
) -> Optional[Reply]:
    """The themes with the clearest signs, each beside the person's own answer."""
    lines = [
        answer_line(question.asked, said.get(theme), catalogue)
        for theme in result.weakest
        if (question := catalogue.by_theme(theme)) is not None
    ]
    if not lines:
        return None
    return Reply("utter_reflection_result_stood_out", {"lines": "\n".join(lines)})


def answer_line(asked: str, said: Optional[str], catalogue: Catalogue) -> str:
    """Quote the person's words when we kept them; never an empty pair of quotes."""
    if said and said.strip():
        return catalogue.wording["answer_line"].format(asked=asked, said=said.strip())
    return catalogue.wording["answer_line_unquoted"].format(asked=asked)


def strengths_reply(result: Result, catalogue: Catalogue) -> Reply:
    template = catalogue.wording["strength_line"]
    lines = [
        template.format(strength=question.strength)
        for theme in result.strengths
        if (question := catalogue.by_theme(theme)) is not None
    ]
    if not lines:
        return Reply("utter_reflection_result_no_strengths")
    return Reply("utter_reflection_result_strengths", {"lines": "\n".join(lines)})


def comparison_replies(
    changes: Optional[List[Change]], previous_date: str, catalogue: Catalogue
) -> List[Reply]:
    """How today differs from the last check-in ("Last time saying no was hard; …")."""
    if changes is None:
        return []
    if not changes:
        return [Reply("utter_reflection_compare_same", {"date": previous_date})]
    return [
        Reply(
            "utter_reflection_compare_easier"
            if change.direction == EASIER
            else "utter_reflection_compare_harder",
            {"label": catalogue.by_theme(change.theme).label},
        )
        for change in changes[:MAX_CHANGES_TOLD]
    ]


def plan_replies(
    result: Result, catalogue: Catalogue, intro: str = "utter_reflection_plan_intro"
) -> List[Reply]:
    """One coaching step per weakest theme, each with this week's exercise and a deeper button."""
    if not result.weakest:
        return [Reply("utter_reflection_plan_keep_going")]
    replies = [Reply(intro)]
    for number, theme in enumerate(result.weakest, start=1):
        question = catalogue.by_theme(theme)
        button = {
            "title": catalogue.wording["deeper_button"].format(label=question.label),
            "payload": coaching_payload(question.topic),
        }
        replies.append(
            Reply(
                "utter_reflection_plan_step",
                {"number": number, "step": question.plan_step, "exercise": question.exercise},
                [button],
            )
        )
    return replies


def result_replies(
    result: Result,
    said: Dict[str, Optional[str]],
    catalogue: Catalogue,
    changes: Optional[List[Change]] = None,
    previous_date: str = "",
) -> List[Reply]:
    """The whole result: lean, what stood out, strengths, change since last time, the plan."""
    if result.lean is None:
        return [lean_reply(result)]
    replies = [lean_reply(result)]
    stood_out = stood_out_reply(result, said, catalogue)
    if stood_out:
        replies.append(stood_out)
    replies.append(strengths_reply(result, catalogue))
    replies.extend(comparison_replies(changes, previous_date, catalogue))
    replies.append(Reply("utter_reflection_not_diagnosis"))
    replies.extend(plan_replies(result, catalogue))
    return replies


def last_result_replies(
    result: Optional[Result], said: Dict[str, Optional[str]], on: str, catalogue: Catalogue
) -> List[Reply]:
    """Answer "what did my last check-in say?" from the stored record."""
    if result is None:
        return [Reply("utter_reflection_last_result_none")]
    replies = [Reply("utter_reflection_last_result_intro", {"date": on}), lean_reply(result)]
    stood_out = stood_out_reply(result, said, catalogue)
    if stood_out:
        replies.append(stood_out)
    replies.append(strengths_reply(result, catalogue))
    replies.extend(plan_replies(result, catalogue, intro="utter_reflection_last_plan_intro"))
    return replies
