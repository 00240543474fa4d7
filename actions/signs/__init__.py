"""Sign detector: names patterns of codependency, counterdependency and interdependence in free
text, with the writer's own words as evidence. See catalogue.yml for the signs themselves."""

from actions.signs.detector import Sign
from actions.signs.reader import detect_signs

__all__ = ["Sign", "detect_signs"]
