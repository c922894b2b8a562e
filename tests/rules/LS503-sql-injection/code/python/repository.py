"""Data access helpers of the LS503 fixture."""

SORTABLE = {"created": "created_at", "total": "total_cents"}


def find_orders(cursor, customer, order="created"):
    column = SORTABLE.get(order, "created_at")
    # lambdasec-ok: LS503
    cursor.execute(f"SELECT * FROM orders WHERE customer = %s ORDER BY {column}", (customer,))
    statement = "SELECT * FROM orders WHERE customer = '%s'" % customer
    # lambdasec-expect: LS503
    cursor.executemany(statement, [])
    return cursor.fetchall()


class AuditLog:
    def __init__(self, connection):
        self.connection = connection

    def entries_for(self, actor):
        # lambdasec-expect: LS503
        return self.connection.execute("SELECT * FROM audit WHERE actor = '%s'" % actor).fetchall()

    def count(self):
        # lambdasec-ok: LS503
        return self.connection.execute("SELECT count(*) FROM audit").fetchone()
