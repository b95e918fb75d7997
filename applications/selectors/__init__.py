"""Read use cases of applications: citizens (citizen.py) and staff queues (staff.py)."""
