"""The class in the room: the cohort page's ask box, the class's questions and their triage,
hearing back, and the projector view. The student questions themselves (models, access,
actions, API, notifications) are asking/'s; this app only shows them and calls its actions."""
