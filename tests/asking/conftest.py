"""The standing characters around one cohort's student questions."""


from asking.participants import Participant, user_key

ROLES = ["anonymous", "student", "other_student", "instructor", "other_instructor", "staff"]


def as_participant(user, address="127.0.0.1"):
    return Participant(user_key(user), user, address)

