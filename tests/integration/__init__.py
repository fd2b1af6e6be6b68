"""Tests of the Home Assistant integration against the simulated appliance."""
