"""Users: citizens, legal persons and staff with roles; sign-in."""
