"""The ``steps`` storefront's shop pages: catalogue, product, basket, and the sign-in page.

A product page has no quantity box: ``Add to basket`` adds one and comes back to the product
with a notice. The basket's ``Proceed to checkout`` is a button in a form (POST, then 303 to
``/checkout/``), not a link. Carts, stock and prices are
the classic storefront's (:mod:`sandbox.shop.carts`, :mod:`sandbox.shop.catalogue`).

The accessible names of these pages are a contract with a company profile's locators;
``sandbox/README.md`` lists them.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import BaseRoute, Route

from sandbox.shop.carts import (
    CART_COOKIE,
    add_to_cart,
    cart_exists,
    create_cart,
    load_cart,
    quantity_in_cart,
    remove_product,
)
from sandbox.shop.catalogue import Product, list_products
from sandbox.shop.pages import form_text, product_or_404
from sandbox.web import (
    redirect_with_notice,
    render,
    render_with_notice,
    set_session_cookie,
    state_of,
)

BASKET_URL = "/basket/"


def routes() -> list[BaseRoute]:
    """The catalogue, product, basket and sign-in routes of the steps storefront."""
    return [
        Route("/", catalogue_page, methods=["GET"]),
        Route("/catalogue/{slug}/", product_page, methods=["GET"]),
        Route(BASKET_URL, basket_page, methods=["GET"]),
        Route("/basket/add/", add_item, methods=["POST"]),
        Route("/basket/remove/{slug}/", remove_item, methods=["POST"]),
        Route("/basket/checkout/", proceed_to_checkout, methods=["POST"]),
        Route("/accounts/login/", sign_in_page, methods=["GET"]),
    ]


async def catalogue_page(request: Request) -> Response:
    """Every product as a tile with its name, price and availability."""
    with state_of(request).db.transaction() as connection:
        products = list_products(connection)
    return render(request, "steps/catalogue.html", {"products": products})


async def product_page(request: Request) -> Response:
    """One product, with the button that adds one to the basket."""
    product = product_or_404(request, request.path_params["slug"])
    return render_with_notice(request, "steps/product.html", {"product": product, "alert": None})


async def add_item(request: Request) -> Response:
    """Add one unit (creating the basket), then go back to the product with a notice."""
    form = await request.form()
    product = product_or_404(request, form_text(form, "product"))
    state = state_of(request)
    cart_id = request.cookies.get(CART_COOKIE)
    with state.db.transaction() as connection:
        if not cart_exists(connection, cart_id):
            cart_id = create_cart(connection, state.clock())
        assert cart_id is not None
        problem = _unavailable(product, quantity_in_cart(connection, cart_id, product))
        if problem is None:
            add_to_cart(connection, cart_id, product, 1)
    if problem is not None:
        response = render(
            request, "steps/product.html", {"product": product, "alert": problem, "notice": None}
        )
    else:
        response = redirect_with_notice(
            f"/catalogue/{product.slug}/", f"{product.name} has been added to your basket."
        )
    set_session_cookie(response, CART_COOKIE, cart_id)
    return response


async def basket_page(request: Request) -> Response:
    """The basket's lines and subtotal, and the button to the checkout."""
    with state_of(request).db.transaction() as connection:
        cart = load_cart(connection, request.cookies.get(CART_COOKIE))
    return render_with_notice(request, "steps/basket.html", {"cart": cart})


async def remove_item(request: Request) -> Response:
    """Take a product out of the basket, then show the basket again."""
    with state_of(request).db.transaction() as connection:
        product = remove_product(connection, request.cookies.get(CART_COOKIE), request.path_params["slug"])
    if product is None:
        return RedirectResponse(BASKET_URL, status_code=303)
    return redirect_with_notice(BASKET_URL, f"{product.name} has been removed from your basket.")


async def proceed_to_checkout(request: Request) -> Response:
    """The basket's ``Proceed to checkout`` button: the checkout's first page (303)."""
    return RedirectResponse("/checkout/", status_code=303)


async def sign_in_page(request: Request) -> Response:
    """Where returning customers would sign in: accounts are not open yet, and it says so."""
    return render(request, "steps/sign_in.html")


def _unavailable(product: Product, already_in_basket: int) -> str | None:
    """Why one more unit cannot go in the basket, or None if it can."""
    if not product.in_stock:
        return f"Sorry, {product.name} is sold out."
    if already_in_basket + 1 > product.stock:
        return f"Sorry, we only have {product.stock} of {product.name} and they are all in your basket."
    return None
