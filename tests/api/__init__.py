"""Tests of the HA-free appliance client."""
