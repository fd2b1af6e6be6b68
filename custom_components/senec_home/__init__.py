"""The SENEC.Home integration."""
