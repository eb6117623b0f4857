"""The multiple-choice questions: the rules live in ``grader.questions``, which the
gradebook shares, so the build and the gradebook read ``questions.yml`` the same way."""

from grader.questions import Option, Question, QuestionError, load_questions, parse_questions

__all__ = ["Option", "Question", "QuestionError", "load_questions", "parse_questions"]
