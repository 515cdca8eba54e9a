"""Credentials n8n nodes reference: n8n's type, name and id, the data encrypted at rest."""

from __future__ import annotations

from sqlalchemy import String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from hive_core.db.base import Base, Timestamps, new_id

# n8n's credential ids are short nanoids (older releases: integers); a UUID fits as well.
CREDENTIAL_ID_LENGTH = 36
# n8n's longest credential type names are well under 100 characters.
CREDENTIAL_TYPE_LENGTH = 128


class Credential(Timestamps, Base):
    """One credential. ``data`` is a Fernet token of the JSON of n8n's credential data.

    The id is n8n's own when imported, so the ids in workflow exports keep matching. A name is
    unique per type: nodes are matched by id, then by name, and a name must name one credential.
    """

    __tablename__ = "credentials"
    __table_args__ = (UniqueConstraint("type", "name"),)

    id: Mapped[str] = mapped_column(String(CREDENTIAL_ID_LENGTH), primary_key=True, default=new_id)
    name: Mapped[str] = mapped_column(String(255), index=True)
    type: Mapped[str] = mapped_column(String(CREDENTIAL_TYPE_LENGTH))
    data_encrypted: Mapped[str] = mapped_column(Text)


__all__ = ["CREDENTIAL_ID_LENGTH", "CREDENTIAL_TYPE_LENGTH", "Credential"]
