"""Deterministic demo records for the skills line, on top of the unions, enterprises and members
that members.demo created. For 2024 each figure whose report card gives `actual_2024` comes out
at actual_2024 × scale rounded half up (members.demo.scaled); `city_innovation_studios` has no
2024 figure (only a 2025 target of 20), so max(1, round(20 × scale)) city studios are named in
2024. A few records of 2023 (and one competition spanning New Year into 2025, when there are
enough) are added besides so that every kind of record shows in the admin even at small scales;
they do not touch the 2024 figures.

A fast path used only by seed_demo: records are bulk-inserted, not written through the
services, except where a rule is the point (README: "What the demo data goes through")."""

from skills.demo.seeding import seed

__all__ = ["seed"]
