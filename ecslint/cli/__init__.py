"""The command line: argument parsing, the commands, the check run and the catalogue rendered for people.

The top layer: may import every other layer; nothing imports it.
"""
