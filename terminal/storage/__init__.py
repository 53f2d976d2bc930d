"""Where the terminal keeps things on disk and in the keyring: paths, profiles, secrets, logs."""
