"""The site's navigation: what each person sees at the top of every page and in each section.

It names pages of every app and asks every app's rules, so it sits above them all; no domain app
imports it.
"""
