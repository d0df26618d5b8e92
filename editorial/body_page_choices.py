"""Page choosers inside StreamField blocks (a story body's "Related" link), as seen by one member
of staff: a chosen page the person may not open in the admin (editorial.access) is shown as an
empty choice, never by its title, and saving it is refused on the chooser itself.

Block definitions are shared by every request, so the person is not known to the block: the
form walks the value instead, block by block, as Wagtail's own StreamField validation does.
"""

from collections.abc import Mapping

from django.core.exceptions import ValidationError

from wagtail import blocks
from wagtail.blocks.list_block import ListBlockValidationError, ListValue
from wagtail.blocks.stream_block import StreamBlockValidationError, StreamValue
from wagtail.blocks.struct_block import StructBlockValidationError

from editorial.access import may_open_in_admin

HIDDEN_PAGE = "Choose a story you may open: this one is not yours to link to."


def _is_hidden(page, user) -> bool:
    return page is not None and not may_open_in_admin(user, page)


def _is_opaque(block, value) -> bool:
    """A struct block whose value is not a mapping of its children (Wagtail's ImageBlock gives
    the image itself): it holds no page chooser to walk."""
    return isinstance(block, blocks.StructBlock) and not isinstance(value, Mapping | None)


def hidden_page_error(block, value, user) -> ValidationError | None:
    """An error on every page chooser in `value` holding a page `user` may not open, shaped
    like the block's own errors so the editor marks the chooser itself (None: there is none)."""
    if _is_opaque(block, value):
        return None
    if isinstance(block, blocks.PageChooserBlock):
        return ValidationError(HIDDEN_PAGE) if _is_hidden(value, user) else None
    if isinstance(block, blocks.StreamBlock):
        errors = {
            index: error
            for index, child in enumerate(value or [])
            if (error := hidden_page_error(child.block, child.value, user)) is not None
        }
        return StreamBlockValidationError(block_errors=errors) if errors else None
    if isinstance(block, blocks.StructBlock):
        errors = {
            name: error
            for name, child_block in block.child_blocks.items()
            if (error := hidden_page_error(child_block, (value or {}).get(name), user)) is not None
        }
        return StructBlockValidationError(block_errors=errors) if errors else None
    if isinstance(block, blocks.ListBlock):
        errors = {
            index: error
            for index, item in enumerate(value or [])
            if (error := hidden_page_error(block.child_block, item, user)) is not None
        }
        return ListBlockValidationError(block_errors=errors) if errors else None
    return None


def without_hidden_pages(block, value, user):
    """`value` with every page `user` may not open replaced by an empty choice (the value
    itself when it holds none, which is the usual case)."""
    if hidden_page_error(block, value, user) is None:
        return value
    return _scrubbed(block, value, user)


def _scrubbed(block, value, user):
    if _is_opaque(block, value):
        return value
    if isinstance(block, blocks.PageChooserBlock):
        return None if _is_hidden(value, user) else value
    if isinstance(block, blocks.StreamBlock):
        return StreamValue(
            block,
            [
                (child.block_type, _scrubbed(child.block, child.value, user), child.id)
                for child in value
            ],
        )
    if isinstance(block, blocks.StructBlock):
        return block._to_struct_value(
            [
                (name, _scrubbed(block.child_blocks[name], child_value, user))
                for name, child_value in value.items()
            ]
        )
    if isinstance(block, blocks.ListBlock):
        return ListValue(
            block,
            bound_blocks=[
                ListValue.ListChild(
                    block.child_block, _scrubbed(block.child_block, child.value, user), id=child.id
                )
                for child in value.bound_blocks
            ],
        )
    return value


class VisiblePagesBlockWidget(blocks.BlockWidget):
    """A StreamField's editor widget that draws the value without the pages its user may not
    open; the block definition (and its packed JSON) stay those of the shared widget."""

    def __init__(self, shared: blocks.BlockWidget, *, user):
        super().__init__(shared.block_def, attrs=shared.attrs)
        self._js_context, self._block_json = shared.js_context, shared.block_json
        self.user = user

    def render_with_errors(self, name, value, attrs=None, errors=None, renderer=None):
        return super().render_with_errors(
            name,
            without_hidden_pages(self.block_def, value, self.user),
            attrs=attrs,
            errors=errors,
            renderer=renderer,
        )


def limit_block_page_choices(form, user) -> None:
    """Every StreamField of `form` drawn without the pages `user` may not open."""
    for field in form.fields.values():
        if isinstance(field, blocks.BlockField):
            field.widget = VisiblePagesBlockWidget(field.widget, user=user)


def refuse_hidden_block_pages(form, user) -> None:
    """An error on each StreamField of `form` whose cleaned value chooses a hidden page."""
    for name, field in form.fields.items():
        if isinstance(field, blocks.BlockField) and name in form.cleaned_data:
            error = hidden_page_error(field.block, form.cleaned_data[name], user)
            if error is not None:
                form.add_error(name, error)
