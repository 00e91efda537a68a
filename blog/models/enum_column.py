"""How a StrEnum column is stored: as the plain VARCHAR it always was, so the enum adds no schema."""

from enum import StrEnum

from sqlalchemy import Enum


def enum_column(enum: type[StrEnum], length: int = 16) -> Enum:
    """Rows read back as enum members; members or their string values may be written.

    No native database enum and no CHECK constraint: the column stays a VARCHAR(length), as in the
    migrations, and a new member needs no migration. The stored text is the member's value
    ("published"), not its name ("PUBLISHED").
    """
    return Enum(
        enum,
        native_enum=False,
        create_constraint=False,
        length=length,
        values_callable=lambda members: [member.value for member in members],
    )
