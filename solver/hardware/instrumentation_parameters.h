#pragma once
/**
 * @file Parameters of the hardware and the surgery (subsection "Instrumentation"): pedicle
 * screws, rods, interbody cage with the discectomy and facetectomy it needs, posterolateral
 * graft. Lengths in mm, angles in degrees.
 */
#include <string>

namespace dealii
{
  class ParameterHandler;
}

namespace bonefusion::hardware
{
  struct InstrumentationParameters
  {
    struct Screws
    {
      bool present = false;
      double diameter = 6.5;    ///< mm (thread outer diameter)
      double length = 45;       ///< mm, entry point to tip
      double medial_angle = 10; ///< deg, convergence in the transverse plane
      double cranial_angle = 0; ///< deg, tilt in the sagittal plane (+ = tip cranial)
      double head_height = 12;  ///< mm, from entry point back to the rod axis
      std::string material = "Ti-6Al-4V";
      std::string levels;               ///< vertebrae instrumented, "L4, L5, S1"; empty = all
      std::string sides = "both";       ///< both | left | right
      std::string interface = "bonded"; ///< bonded | loosened
      double halo_thickness = 1;        ///< mm, fibrous layer around a loosened screw
    } screws;

    struct Rods
    {
      bool present = false;
      double diameter = 5.5; ///< mm
      double overhang = 5;   ///< mm beyond the screw heads at each end
      std::string material = "Ti-6Al-4V";
    } rods;

    struct Cage
    {
      std::string type = "none"; ///< none | TLIF | PLIF
      double length = 28;        ///< mm, footprint long side
      double width = 11;         ///< mm, footprint short side
      double wall_thickness = 2; ///< mm; the window inside holds graft
      double tlif_angle = 30;    ///< deg between the TLIF cage's long axis and the x axis
      double plif_offset = 9;    ///< mm, |x| of each PLIF cage centre
      bool graft_in_window = true;
      std::string nucleus_after_discectomy = "removed"; ///< removed | graft
      /** Facet joints resected for the approach: none | approach side | bilateral. */
      std::string facetectomy = "none";
      std::string material = "PEEK";
      std::string levels; ///< discs, "L4-L5, L5-S1"; empty = the model's only disc
    } cage;

    struct PosterolateralGraft
    {
      bool present = false;
      double width = 10;    ///< mm (x) of each graft strip
      double thickness = 6; ///< mm (y)
      std::string levels;   ///< segments bridged; empty = the model's only segment
    } posterolateral_graft;
    /** Further facet joints resected: "L4-L5 left, L5-S1 both"; empty = none. */
    std::string facetectomy;
    /** Ligaments cut: "L4-L5 interspinous ligament, L4-L5 ligamentum flavum"; empty = none. */
    std::string resected_ligaments;

    /** Declares subsection "Instrumentation" with every entry's unit in its description. */
    static void declare_parameters(dealii::ParameterHandler &prm);
    /** Reads it back and runs check(). */
    void parse_parameters(dealii::ParameterHandler &prm);
    /** Checks that need no anatomy; throws std::invalid_argument naming the parameter as
     *  "Instrumentation/<Subsection>/<Key>". The checks that need the anatomy (screws that
     *  leave the body, cages that do not fit the disc) run when the implants are placed. */
    void check() const;
  };
} // namespace bonefusion::hardware
