"""The unit of work: the outermost transaction the code opened on a connection (a test
case's own atomic blocks are not one). courses.changes announces once per unit of work;
courses.freshness keeps nothing read inside one (its reads may be its own uncommitted writes)."""

# The unit of work is the whole transaction (no savepoint marks it).
WHOLE_TRANSACTION = object()


def unit_of_work(connection):
    """The savepoint of the outermost atomic block the code opened, ``WHOLE_TRANSACTION``,
    or None outside any."""
    for depth, block in enumerate(connection.atomic_blocks):
        if not getattr(block, "_from_testcase", False):
            return WHOLE_TRANSACTION if depth == 0 else connection.savepoint_ids[depth - 1]
    return None


def in_unit_of_work(connection) -> bool:
    return unit_of_work(connection) is not None
