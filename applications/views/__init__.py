"""HTML interfaces of applications: citizens (citizen.py) and staff (staff.py)."""
