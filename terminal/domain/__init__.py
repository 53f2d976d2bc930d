"""Pure trading model: decimals, instruments, validation, orders; no Qt, no I/O, no clock."""
