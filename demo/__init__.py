"""The demonstration data set: composes each app's demo part and prints the logins."""
