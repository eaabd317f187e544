"""The project model: immutable pydantic models of every YAML file, split by file kind.

The public names are re-exported here: `from cxsite.model import Persona`.
"""

from __future__ import annotations

from cxsite.model.config import (
    HEALTH_COMPONENTS,
    Brand,
    Brief,
    Config,
    HealthWeights,
)
from cxsite.model.fields import (
    BASE_URL,
    BUILTIN_CHANNELS,
    HEX_COLOUR,
    ID_PATTERN,
    LEVEL_RANK,
    LEVELS,
    MAX_TEXT,
    PHASES,
    PILLARS,
    PYRAMID,
    STATUSES,
    Bool,
    Date,
    Level,
    Md,
    MdInline,
    Model,
    NonEmptyText,
    Number,
    Phase,
    Ref,
    Text,
    rule_error,
)
from cxsite.model.journey import (
    Journey,
    Opportunity,
    PainPoint,
    Stage,
)
from cxsite.model.metric import (
    DEFAULT_CATEGORY,
    DEFAULT_UNIT,
    Metric,
    PeriodValue,
    Scope,
)
from cxsite.model.persona import (
    Evidence,
    Persona,
)
from cxsite.model.project import (
    KINDS,
    Project,
)
from cxsite.model.research import (
    CONFIDENCES,
    METHODS,
    Confidence,
    Research,
)
from cxsite.model.responses import ResponseColumns, ResponseMap, Responses
from cxsite.model.review import (
    REVIEW_STATUSES,
    Review,
    add_months,
    review_of,
)
from cxsite.model.touchpoint import (
    MECHANICS,
    Rating,
    Touchpoint,
)

__all__ = [
    "BASE_URL",
    "BUILTIN_CHANNELS",
    "CONFIDENCES",
    "DEFAULT_CATEGORY",
    "DEFAULT_UNIT",
    "HEALTH_COMPONENTS",
    "HEX_COLOUR",
    "ID_PATTERN",
    "KINDS",
    "LEVELS",
    "LEVEL_RANK",
    "MAX_TEXT",
    "MECHANICS",
    "METHODS",
    "PHASES",
    "PILLARS",
    "PYRAMID",
    "REVIEW_STATUSES",
    "STATUSES",
    "Bool",
    "Brand",
    "Brief",
    "Confidence",
    "Config",
    "Date",
    "Evidence",
    "HealthWeights",
    "Journey",
    "Level",
    "Md",
    "MdInline",
    "Metric",
    "Model",
    "NonEmptyText",
    "Number",
    "Opportunity",
    "PainPoint",
    "PeriodValue",
    "Persona",
    "Phase",
    "Project",
    "Rating",
    "Ref",
    "Research",
    "ResponseColumns",
    "ResponseMap",
    "Responses",
    "Review",
    "Scope",
    "Stage",
    "Text",
    "Touchpoint",
    "add_months",
    "review_of",
    "rule_error",
]
