"""What the window shows that follows the shop's settings: its country (phones in national format), the idle
lock, and the contact fields it collects (the form offers only those, the search box promises only those).
Applied at unlock and again whenever Settings is saved, so a field switched off disappears at once."""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from core.customers.collected import collected_contacts

if TYPE_CHECKING:
    from core.book import CustomerBook
    from ui.customer_form import CustomerForm
    from ui.customer_list_view import CustomerListView
    from ui.customer_pane import CustomerPane
    from ui.idle_lock import IdleWatcher


class ShopWindow(Protocol):
    """The parts of the main window the shop's settings reach (a Protocol: no import of ui/main_window.py)."""

    book: CustomerBook
    form: CustomerForm
    list_view: CustomerListView
    pane: CustomerPane
    idle: IdleWatcher


class ShopSettings:
    """Made once the window has its views (`attach`); `apply()` at unlock and after Settings is saved."""

    def __init__(self, window: ShopWindow) -> None:
        self._window = window

    def apply(self) -> None:
        window = self._window
        book = window.book
        region = book.shop.phone_region
        window.form.set_phone_region(region)  # the shop's own numbers in national format
        window.list_view.model.set_phone_region(region)
        window.idle.set_minutes(book.preferences().auto_lock_minutes)
        collected = collected_contacts(book.catalogue.current())
        window.form.set_collected(collected)
        window.list_view.set_search_words(collected.search_words())
        window.pane.set_search_words(collected.search_words())
