"""Partner mode: two people link their conversations and compare check-in levels, with consent.

Storage is in store.py (own tables in the tracker store's database), the wording of a comparison
in compare.py and compare.yml, the actions in actions.py. Import from the submodules.
"""
