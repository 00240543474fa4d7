"""The guided reflection (`reflection_form`): questions, answer mapping, scoring, result, memory.

Content is in questions.yml and domain/reflection.yml; the action classes are in `actions.py`.
"""
