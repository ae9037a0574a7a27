"""The register's entities, one module per concern.

One Arrangement is shared by all its participants; what differs per participant lives on its
Participation. Every register model keeps its history (django-simple-history). Records with free
text keep the text meant for the public (``public_*``) apart from an ``internal_note`` that never
reaches a public page.
"""

from .arrangements import Arrangement, Body, Participation, Person, Seat
from .calendar import CalendarToken
from .documents import Document
from .fields import OrgnrField  # migrations refer to register.models.OrgnrField
from .followup import Alternative, Decision, Evaluation
from .goals import Contribution, Goal, GoalConflict
from .identities import ExternalIdentity, SsoGrant
from .jobs import BackgroundJob
from .meetings import AgendaItem, InformationEntry, Meeting, Position
from .memberships import Invitation, JoinRequest, Membership
from .money import Cost, TotalCost
from .reference import (
    CooperationForm,
    County,
    Motive,
    Organisation,
    PopulationFigure,
    ServiceArea,
)
from .reviews import Review, ReviewItem
from .search import SearchEntry
