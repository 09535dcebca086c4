#!/usr/bin/env python3
"""Requirement: the fixation decides how soon a TLIF graft fuses when the segment is loaded
from the first day (no brace, turning and side bending included): with Ti-6Al-4V screws and
rods the healing gap between graft and endplates ossifies and the graft bridges (CT grade I)
by the 6-month visit; without fixation (a stand-alone cage) the same gap strains about 1.5x
as much on day 0 (12.8 % vs 8.7 % octahedral shear strain), stays above the bone limit for
at least the first 6 weeks, the graft is not fused at the 6-month visit (grade II-IV, bridged
< 50 %, its gap holding less than 0.75x the fixed one's bone: measured 0.40 vs 0.67) and
fuses, if at all within the year, at least 1.6x later (measured day 290 vs day 143: a delayed
union), while the segment still moves more than twice as much on the simulated
flexion-extension radiograph at 12 months.

Two runs of cases/l4l5_tlif_healing_unbraced.prm at 3 mm voxels over 365 days (sliding cage
interface, compression-only facets, 0.5 mm healing gap), with the osteogenesis time constant
halved to 150 days so that the fixed graft fuses well inside the run: Ti rods and stand-alone.
About 2 minutes per run with 1 rank. With the elliptic disc outline used before 2026-12-02
(disc 10 % smaller, softer) the stand-alone graft was still not fused at 12 months; the
fuller outline lets the disc carry more and the stand-alone gap strain less (docs/healing.md).
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from verification_common import (begin_check, number, run_bonefusion,  # noqa: E402
                                 statistics_rows)

SETTINGS = {"Discretization/Voxel size": "3", "Time/End time": "365",
            "Time/Follow-up visits": "42, 91, 182, 365", "Output/Write visualization": "false",
            "Graft healing/Osteogenesis time constant": "150"}
STAND_ALONE = {"Instrumentation/Rods/Present": "false",
               "Instrumentation/Pedicle screws/Present": "false"}
# Prendergast-Lacroix: S = gamma_oct / 0.0375; bone only below S = 1.
IMMATURE_BONE_STRAIN = 0.0375


def run(args, base, name, settings):
    args.output = os.path.join(base, name)
    run_bonefusion(args, settings)
    rows = statistics_rows(args.output)
    visits = {round(number(r, "time_days")): r for r in rows if r["load_case"] == "follow-up"}
    return rows, visits


def main():
    args, checks, base = begin_check(__doc__)

    rods, rods_visits = run(args, base, "rods", SETTINGS)
    alone, alone_visits = run(args, base, "stand_alone", {**SETTINGS, **STAND_ALONE})
    for name, rows in (("Ti rods", rods), ("stand-alone", alone)):
        print(f"{name}: day, grade, bridged, gap bone fraction, gap strain [%], ROM F/E [deg]")
        for r in rows:
            print(f"  {number(r, 'time_days'):6.1f} {number(r, 'fusion_grade'):2.0f} "
                  f"{number(r, 'graft_bridging_fraction'):5.2f} "
                  f"{number(r, 'graft_junction_bone_fraction'):6.3f} "
                  f"{100 * number(r, 'graft_junction_mean_octahedral_shear_strain'):6.2f} "
                  f"{number(r, 'rom_flexion_extension_deg'):5.2f}")
    checks.check(sorted(rods_visits) == [42, 91, 182, 365] and
                 sorted(alone_visits) == [42, 91, 182, 365],
                 "follow-up rows at 6 weeks, 3, 6 and 12 months in both runs")
    if not checks.failures:
        strain0 = {n: number(rows[0], "graft_junction_mean_octahedral_shear_strain")
                   for n, rows in (("rods", rods), ("alone", alone))}
        checks.check(strain0["alone"] > 1.4 * strain0["rods"],
                     f"day 0: the stand-alone gap strains > 1.4x the fixed one's "
                     f"({100 * strain0['alone']:.1f} vs {100 * strain0['rods']:.1f} %)")
        six, year = rods_visits[182], rods_visits[365]
        checks.check(number(six, "fusion_grade") == 1 and
                     number(six, "graft_bridging_fraction") > 0.5,
                     f"Ti rods: grade I at 6 months (bridged "
                     f"{number(six, 'graft_bridging_fraction'):.2f})")
        checks.check(number(year, "graft_junction_bone_fraction") > 0.7,
                     f"Ti rods: the healing gap is bone at 12 months "
                     f"({number(year, 'graft_junction_bone_fraction'):.2f} > 0.7)")
        year_alone, six_alone = alone_visits[365], alone_visits[182]
        checks.check(number(six_alone, "fusion_grade") >= 2 and
                     number(six_alone, "graft_bridging_fraction") < 0.5,
                     f"stand-alone: not fused at 6 months (grade "
                     f"{number(six_alone, 'fusion_grade'):.0f}, bridged "
                     f"{number(six_alone, 'graft_bridging_fraction'):.2f})")

        def fusion_day(rows):
            days = [number(r, "time_days") for r in rows if number(r, "fusion_grade") == 1]
            return min(days) if days else None

        fused = {n: fusion_day(rows) for n, rows in (("rods", rods), ("alone", alone))}
        checks.check(fused["rods"] is not None and
                     (fused["alone"] is None or fused["alone"] >= 1.6 * fused["rods"]),
                     f"stand-alone fuses at least 1.6x later than with Ti rods, or not within the "
                     f"year (grade I on day {fused['rods']} vs {fused['alone']})")
        checks.check(number(six_alone, "graft_junction_bone_fraction") <
                     0.75 * number(six, "graft_junction_bone_fraction"),
                     f"stand-alone: the gap holds less than 0.75x the fixed gap's bone at 6 months "
                     f"({number(six_alone, 'graft_junction_bone_fraction'):.2f} vs "
                     f"{number(six, 'graft_junction_bone_fraction'):.2f})")
        soft = [r for r in alone if number(r, "time_days") <= 42]
        checks.check(all(number(r, "graft_junction_mean_octahedral_shear_strain") >
                         IMMATURE_BONE_STRAIN for r in soft),
                     "stand-alone: the gap's mean strain stays above the bone limit "
                     "(Prendergast-Lacroix S > 1) for the first 6 weeks")
        checks.check(number(year_alone, "rom_flexion_extension_deg") >
                     2 * number(year, "rom_flexion_extension_deg"),
                     f"stand-alone: flexion-extension ROM at 12 months > 2x the fixed segment's "
                     f"({number(year_alone, 'rom_flexion_extension_deg'):.2f} vs "
                     f"{number(year, 'rom_flexion_extension_deg'):.2f} deg)")
    checks.finish()


if __name__ == "__main__":
    main()
