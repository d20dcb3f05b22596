"""The weights of the person comparison (Fellegi-Sunter log2 likelihood ratios and the m and u
probabilities behind them)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PersonWeights:
    """Weights of the person comparison, as log2 likelihood ratios or the m
    probabilities (share of true duplicates showing the pattern) behind
    them; u probabilities for names and years come from the registry itself."""

    # agreement: log2(m / u). For the given name, u is the share of records
    # with that name. The agreeing parts of the lineage (father, grandfather,
    # family) are weighed together: next to an agreeing given name, u is the
    # chance that another family has that lineage (the product of the parts'
    # shares; brothers and sisters never share a given name) or, where the
    # registry holds others with the same name and lineage, their share;
    # next to a differing given name, u is the share of records with that
    # lineage, counted jointly -- a family's members all have it.
    m_given: float = 0.95
    m_father: float = 0.92
    m_grandfather: float = 0.92
    m_family: float = 0.95
    max_given: float = 12.0
    max_lineage: float = 24.0
    # similarity levels of a part: >= agree: agreement; >= close_at: agreement
    # less `close_*`; >= weak_at: `weak_*` (absolute); below: `disagree_*`
    agree: float = 0.92
    close_at: float = 0.80
    weak_at: float = 0.65
    close_given: float = -5.0
    close_lineage: float = -2.0
    weak_given: float = -9.0
    weak_lineage: float = -3.0
    # a part close or weakly alike where one spelling is rare in the registry (at most `rare_spelling`
    # registrations) and the other common (at least `common_spelling`): a typo or a misheard letter
    # (m ~ 0.1 of duplicates, each part) rather than another name in use (u: a rare spelling beside a
    # common one is seldom a name of its own); it costs this much, not close_*/weak_*
    rare_spelling: int = 2
    common_spelling: int = 10
    misspelt_given: float = -2.0
    misspelt_lineage: float = -1.0
    # a true duplicate rarely disagrees on a part present in both (m ~ 0.1%
    # given, ~0.5% father or family); relatives always do somewhere
    disagree_given: float = -14.0
    disagree_father: float = -12.0
    disagree_grandfather: float = -5.0
    disagree_family: float = -12.0
    # a three-part name read against a four-part one with its middle name as
    # the grandfather, i.e. the father dropped (m ~ 2%)
    skipped_father: float = -4.5
    # other readings of the parts: given and father swapped, family name first
    # (m ~ 2.5% each); a son named after his grandfather reads like his father
    # with given and father swapped, which only the birth year tells apart. The
    # family name first hardly ever makes two people read alike (u far below that
    # of the names as written): its cost is about m alone. The calibration, fitted
    # with the two readings apart on the tuning registry, put it at -2.3 (-4 written
    # here before) and the swap at -4.5.
    swapped: float = -5.0
    swapped_without_years: float = -5.0
    family_first: float = -2.0
    # a swapped reading of names of different lengths supposes two errors
    swapped_and_dropped: float = -3.0
    # a given name that is also the grandfather's: the child was named after
    # him, as first cousins often are, so the name says little beyond the
    # lineage (u ~ 0.3 among the grandchildren)
    given_after_grandfather: float = 1.5
    # a middle name written in one registration only: the father's name
    # (one registration has two parts) is neutral; a grandfather's name
    # written in one only is weak evidence against (a registrar keeps to one
    # form; m ~ 0.15 for a duplicate, u ~ 0.4 for two people)
    missing_part: float = 0.0
    missing_grandfather: float = -1.0
    # birth year: m = 0.78 same, 0.2 one year apart, 0.01 further
    m_year_same: float = 0.78
    m_year_near: float = 0.20
    year_far: float = -7.0
    # sex: never different for one person; agreement adds nothing to an
    # agreeing given name, which already tells the sex
    sex_agree: float = 0.0
    sex_disagree: float = -14.0
    # household: one household token on both, next to agreeing given names (and lineage): m ~ 0.15-0.3
    # (a person entered twice with the family), u ~ 0.005 (no family gives two children one name; a
    # father and his son named after the grandfather read swapped and are not counted)
    household_same: float = 5.0
    # two households sharing nobody, each registration living with relatives by name (a brother or sister, a
    # child, the father), or each as a mother with her children (`households`): two families, namesakes
    # rather than one person registered twice -- a duplicate leaves one registration with the family and the
    # other alone or with another group (m ~ 0.03, u ~ 0.5 among pairs alike by name)
    two_families: float = -4.0
    # a name read with the father's name left out (`skipped_father`) where that registration's household
    # holds its father by the name it gives (`households.Households.father_registered`): the middle name is
    # its father's, not the other's grandfather's. Counted on the tuning generator (arabic, seed 2016,
    # 100,000 persons, compared pairs read so): 1 of 263 one-person pairs, 88 of 286 others (m ~ 0.004,
    # u ~ 0.3: about -6)
    father_registered: float = -6.0
    # a birth year missing on one side, where that registration's relatives by name in its household (its
    # father, children, brothers and sisters, with their birth years) place its birth
    # (`households.Households.years_told`): more than a year away from the other's year, or not. Counted on
    # the tuning generator (arabic, seed 2016, 100,000 persons, compared pairs with a year missing; 378
    # one-person pairs, 553 others): apart, m ~ 7 / 378, u ~ 125 / 553 (about -3.6); within, m ~ 171 / 378,
    # u ~ 137 / 553 (about +0.9)
    household_years_apart: float = -3.5
    household_years_fit: float = 0.85
    # gathering point: weak; duplicates often come from another point
    m_point_same: float = 0.55
    # frequencies are smoothed towards these typical values with the weight
    # of `pseudo_records` registrations
    pseudo_records: float = 50.0
    u_given: float = 0.02
    u_father: float = 0.02
    u_grandfather: float = 0.02
    u_family: float = 0.01
    u_year_same: float = 0.02
    u_point_same: float = 0.4
