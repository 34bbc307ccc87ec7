"""Demo skill certifications, training sessions and job drills."""

from skills.demo._common import OCCUPATIONS, YEAR, _day, _split
from skills.models import (
    SkillCertification,
    SkillSession,
)


def _certifications(n, pool, rng) -> int:
    L = SkillCertification.Level
    levels = [L.LEVEL5, L.LEVEL4, L.LEVEL3, L.LEVEL2, L.LEVEL1]
    rows: list[SkillCertification] = []
    people = pool.sample(n["new_skilled_talents"])
    for i, (pk, union_id, *_rest) in enumerate(people):
        occupation = OCCUPATIONS[i % len(OCCUPATIONS)]
        level_index = rng.choices(range(5), weights=[30, 35, 25, 7, 3])[0]
        rows.append(
            SkillCertification(
                member_id=pk,
                union_id=union_id,
                level=levels[level_index],
                occupation=occupation,
                certified_on=_day(rng, YEAR),
                certificate_no=f"S{YEAR}{i:07d}",
            )
        )
        if i % 10 == 0 and level_index > 0:  # came up from the level below, certified in 2023
            rows.append(
                SkillCertification(
                    member_id=pk,
                    union_id=union_id,
                    level=levels[level_index - 1],
                    occupation=occupation,
                    certified_on=_day(rng, YEAR - 1),
                )
            )
        if i % 25 == 0:  # a second occupation the same year: still one new skilled talent
            rows.append(
                SkillCertification(
                    member_id=pk,
                    union_id=union_id,
                    level=L.LEVEL5,
                    occupation="其他工种",
                    certified_on=_day(rng, YEAR),
                )
            )
    SkillCertification.objects.bulk_create(rows, batch_size=5000)
    return len(rows)


def _sessions(n, rng, enterprises) -> int:
    rows: list[SkillSession] = []
    for i in range(n["skill_training_sessions"]):
        enterprise = rng.choice(enterprises)
        rows.append(
            SkillSession(
                kind=SkillSession.Kind.TRAINING,
                title=f"{rng.choice(OCCUPATIONS)}技术培训（第{i + 1}期）",
                union_id=enterprise.union_id,
                enterprise=enterprise,
                held_on=_day(rng, YEAR),
                headcount=rng.randrange(15, 80),
            )
        )
    for i, headcount in enumerate(_split(n["job_drill_person_times"], n["job_drill_events"], rng)):
        enterprise = rng.choice(enterprises)
        occupation = rng.choice(OCCUPATIONS)
        rows.append(
            SkillSession(
                kind=SkillSession.Kind.DRILL,
                title=f"{occupation}岗位练兵（{i + 1}）",
                union_id=enterprise.union_id,
                enterprise=enterprise,
                occupation=occupation,
                held_on=_day(rng, YEAR),
                headcount=headcount,
            )
        )
    SkillSession.objects.bulk_create(rows, batch_size=5000)
    return len(rows)
