"""Tests of the SENEC.Home integration, its client and the simulated appliance."""
