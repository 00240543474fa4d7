"""Follow-ups: "how?", "why?", "for example?", "more", a typed yes or no, push-back, "am I …?",
answered from what the assistant last said (actions/context.py). A farewell is taken only when
it is meant."""
