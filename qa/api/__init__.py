"""API for Q&A: questions (read, create, edit, delete) with filters, ETags,
If-Match and Idempotency-Key: serializers, filters, the viewset (views) and its
OpenAPI description (examples).

Sections are addressed by id or by title: a value that is an integer (or a
string of digits) is a section id, anything else a title. Creating or moving
a question to a title the cohort does not have yet creates that section at
the end of the cohort (it is exported as ``## <title>``).
"""
