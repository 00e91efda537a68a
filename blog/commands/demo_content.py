"""The demo blog's content: accounts, posts, pages and comments (original writing, used by demo.py).

A personal blog from the made-up town of Millbrook: cooking, cycling and small-town life.
Publish times are fixed naive-UTC dates so every load gives the same permalinks; the scheduled
post is the one exception (demo.py dates it about a month after the day it is loaded).
"""

from dataclasses import dataclass, field
from datetime import datetime

DEMO_DOMAIN = "demo.example"  # reserved by RFC 2606: no real mailbox can receive mail for it
BLOG_TITLE = "Notes from Millbrook"
BLOG_DESCRIPTION = "Cooking, cycling and small-town life, written down slowly."


@dataclass(frozen=True)
class DemoAccount:
    key: str
    email: str
    name: str
    role: str
    password: str
    bio: str = ""


@dataclass(frozen=True)
class DemoComment:
    by: str  # an account key
    minutes: int  # how long after the post was published
    body: str
    reply_to: int | None = None  # index of a top-level comment in the same post's list


@dataclass(frozen=True)
class DemoPost:
    title: str
    when: datetime | None  # None: a draft, or the scheduled post
    labels: tuple[str, ...]
    body: str
    by: str = "admin"
    status: str = "published"  # or "draft" / "scheduled"
    comments: tuple[DemoComment, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class DemoPage:
    title: str
    slug: str
    position: int
    body: str


ADMIN_PASSWORD = "demo-admin-password"
AUTHOR_PASSWORD = "demo-author-password"
MEMBER_PASSWORD = "demo-member-password"

ACCOUNTS = (
    DemoAccount(
        "admin",
        f"admin@{DEMO_DOMAIN}",
        "Nell Harrow",
        "admin",
        ADMIN_PASSWORD,
        "Cooks too much, cycles to work it off, and writes about both from a small town, Millbrook.",
    ),
    DemoAccount(
        "author",
        f"author@{DEMO_DOMAIN}",
        "Tom Okafor",
        "author",
        AUTHOR_PASSWORD,
        "Nell's neighbour. Mends bicycles, rides them too far and writes the cycling posts.",
    ),
    DemoAccount("priya", f"priya@{DEMO_DOMAIN}", "Priya Sharma", "member", MEMBER_PASSWORD),
    DemoAccount("jonas", f"jonas@{DEMO_DOMAIN}", "Jonas Berg", "member", MEMBER_PASSWORD),
    DemoAccount("maud", f"maud@{DEMO_DOMAIN}", "Maud Ellison", "member", MEMBER_PASSWORD),
)


# The long thread under the scone post: (who, what, reply_to) in order, twenty-odd minutes apart.
_SCONE_THREAD = (
    ("priya", "Jam first. Cream is a lid, not a foundation. I will not be taking questions.", None),
    ("jonas", "Cream first, so the jam sits on top where you can see it. It is a display case.", None),
    ("maud", "My gran buttered them *as well* and lived to ninety-six. Make of that what you will.", None),
    ("admin", "Maud, that is the most dangerous thing anyone has said on this blog so far.", 2),
    ("author", "I eat them on the bike, so the answer is: whichever way falls off less.", None),
    ("priya", "Tom, that is not an answer, that is a confession.", 4),
    ("jonas", "Serious question: does anyone warm them? Mine always come out of the tin cold.", None),
    ("maud", "Five minutes in a low oven wrapped in a tea towel. They come back to life.", 6),
    ("priya", "The bakery on Mill Lane warms them if you ask nicely. Ask for Bev.", None),
    ("admin", "Bev is the reason half this town knows what a good scone tastes like.", 8),
    ("jonas", "Lemon curd instead of jam. I realise this opens a second front.", None),
    ("maud", "Lemon curd is allowed on Sundays only. That is a house rule and now it is yours too.", 10),
    ("author", "Cheese scones deserve a mention. Sharp cheddar, a pinch of mustard powder. Done.", None),
    ("priya", "Cheese scone with a slice of apple on top. Try it before you judge.", 12),
    ("jonas", "Raisins or no raisins is the real divide, and nobody wants to talk about it.", None),
    ("admin", "No raisins in mine, but I respect the raisin community.", 14),
    ("maud", "Buttermilk makes a lighter scone than milk. I swapped years ago and never went back.", None),
    ("priya", "Do you use a cutter or a knife? My cutter makes them lopsided.", None),
    ("admin", "Press straight down and do not twist. Twisting seals the edge and they rise crooked.", 17),
    ("priya", "That is exactly what I do. Thank you, this is going to change my Saturdays.", 17),
    ("author", "The fete tent sold out of scones by eleven last year. We should just bake more.", None),
    ("jonas", "Put me down for a tray. Cream first, obviously.", 20),
    ("maud", "Clotted cream or whipped? I feel that matters more than the order.", None),
    ("admin", "Clotted, always. Whipped cream is for trifle.", 22),
    ("jonas", "I tried the recipe from the post today. Rose beautifully. Ate three.", None),
    ("priya", "Only three?", 24),
    (
        "maud",
        "Scone dough freezes well, by the way. Cut, freeze, and bake from frozen for two extra minutes.",
        None,
    ),
    ("author", "This thread has done more for community spirit than the parish newsletter.", None),
    ("admin", "Thank you all. Next month: is a teacake a bun? Brace yourselves.", None),
    ("jonas", "Subscribed. Jam second. Always.", None),
    ("priya", "Jam first. Always. See you at the fete.", None),
    ("maud", "Two scones, one of each way. Diplomacy.", None),
)
SCONE_COMMENTS = tuple(
    DemoComment(by, 25 + 23 * n, body, reply_to) for n, (by, body, reply_to) in enumerate(_SCONE_THREAD)
)


POSTS = (
    DemoPost(
        "Why I am starting a blog in February",
        datetime(2025, 2, 6, 9, 30),
        ("Notes", "Millbrook"),
        """February is the month when nothing happens in Millbrook. The river is high, the market is
shut until spring, and the only traffic on the high street is the milk float and Mrs Pell's terrier.
It seemed like the right time to start writing things down.

This will be a small blog about the three things I think about most: what to cook, where to ride,
and what is going on in a town of four thousand people. Expect soup. Expect punctures. Expect at
least one post about the bridge.

My neighbour Tom has agreed to write about cycling now and then, mostly so that I stop asking him
what a bottom bracket is.
""",
        comments=(
            DemoComment("maud", 180, "Welcome to the internet, Nell. I will be reading every word."),
            DemoComment("admin", 240, "Thank you, Maud. That is slightly terrifying.", reply_to=0),
        ),
    ),
    DemoPost(
        "A soup for grey Saturdays",
        datetime(2025, 2, 22, 11, 0),
        ("Cooking", "Recipes"),
        """Some soups are for impressing people. This one is for a Saturday when the sky is the colour
of porridge and you want something ready before the football starts.

<!--more-->

## What you need

- 2 onions, roughly chopped
- 3 carrots and 1 large potato, in chunks
- a thumb of ginger, grated
- 1 litre of stock
- a tin of coconut milk
- salt, pepper, a squeeze of lime

## What you do

1. Soften the onions in a little oil for ten minutes. Do not rush this part.
2. Add the carrots, potato and ginger, stir for a minute, then pour in the stock.
3. Simmer for twenty minutes, until a knife slides into the potato.
4. Add the coconut milk, blend until smooth, and season.
5. Finish with lime just before serving, never before: it goes flat.

It keeps for three days and tastes better on the second. I make a double batch and take a jar
next door, which is how Tom got roped into writing for this blog.
""",
        comments=(
            DemoComment("priya", 300, "Made this last night with sweet potato instead. Lovely."),
            DemoComment("admin", 420, "Sweet potato is a good idea, it makes it even silkier.", reply_to=0),
            DemoComment("jonas", 1500, "How much ginger is a thumb? My thumbs may be bigger than yours."),
            DemoComment("admin", 1560, "About 3 cm. If in doubt, add more: this soup forgives.", reply_to=2),
        ),
    ),
    DemoPost(
        "First ride of the year along the canal",
        datetime(2025, 3, 16, 8, 15),
        ("Cycling",),
        """The towpath was dry enough for the first time since October, so I took the old tourer out
to the locks at Halden and back. Forty kilometres, one heron, no punctures.

<!--more-->

The canal in March is a quiet place. The narrowboats are still moored up with their chimneys
smoking, and the only people about are dog walkers and the odd fisherman who looks at a bicycle
the way a cat looks at a vacuum cleaner.

My legs had forgotten most of what they knew. The gentle rise out of the cutting after the third
lock felt like an Alpine pass. I stopped at the lock-keeper's cottage for a tea from the hatch and
watched a boat go through, which is the kind of excuse for a rest that nobody questions.

If you want to try it: the towpath is gravel most of the way, fine on anything with tyres wider
than 28 mm, and the café at Halden opens at ten at weekends.
""",
        by="author",
    ),
    DemoPost(
        "The market reopens",
        datetime(2025, 4, 5, 10, 0),
        ("Millbrook", "Seasons"),
        """The Saturday market came back to the square this morning, and with it the whole town.
There were fourteen stalls, which is two more than last year, and a queue at the egg man before
the church clock had struck nine.

New this year: a woman from up the valley selling goat's cheese wrapped in nettle leaves, and a
teenager with a table of seedlings he grew on his bedroom windowsill. I bought six tomato plants
from him on principle.

The brass band did not play, because the tuba is at the menders. Everyone agreed it was quieter
and also that they missed it.
""",
    ),
    DemoPost(
        "Sourdough, honestly",
        datetime(2025, 4, 26, 14, 0),
        ("Cooking", "Recipes"),
        """I have been baking sourdough for three years and I still produce the occasional brick.
This post is not a guide from an expert. It is what I have learned from a lot of bricks.

<!--more-->

## The starter is the easy part

People treat their starter like a rare orchid. Mine lives in a jam jar in the fridge and gets fed
once a week, whenever I remember. Take it out the night before you bake, feed it, and it will be
ready by morning.

## Water is the hard part

How much water you use changes everything about the dough. Here is what I have found with the
flour from the mill at Halden:

| Hydration | How the dough feels | What you get |
| --- | --- | --- |
| 65% | firm, easy to shape | a tight crumb, good for sandwiches |
| 72% | soft, a little sticky | the loaf I make most weeks |
| 80% | slack, spreads on the bench | big holes, flat loaf, a lot of swearing |

Start at 65% and go up a few percent each bake. You learn more from changing one thing at a time
than from any book.

> The dough does not care about your schedule. You care about the dough's.

That is from the baker at the mill, who has been doing this since before I was born, and it is the
best advice I have had.
""",
    ),
    DemoPost(
        "Bringing an old three-speed back to life",
        datetime(2025, 5, 14, 16, 30),
        ("Cycling",),
        """Somebody left a 1970s three-speed outside the charity shop with a note that said "free to a
good home". I am not sure mine counts as a good home, but it is a warm one.

What it needed:

- new brake blocks, front and back (the old ones had turned to something like slate)
- a chain, because the old one was more rust than chain
- both tyres and tubes
- a lot of oil in the hub, a drop at a time, until it stopped sounding like a coffee grinder
- a saddle that did not crack when I sat on it

The gear cable was fine, which surprised me. Hub gears from that era are tough. Once it was adjusted
so that the indicator rod sat flush with the axle in second gear, all three gears came back.

Total cost was about forty pounds. It now goes to the shop and back twice a week and makes a
pleasant tick when it freewheels.
""",
        by="author",
    ),
    DemoPost(
        "Radishes, and other small victories",
        datetime(2025, 6, 3, 18, 45),
        ("Garden",),
        """The allotment has been humbling this year. The beans were eaten by something. The onions bolted.
The courgettes have not yet decided whether to exist.

But the radishes came up. Rows of them, round and red and peppery, three and a half weeks from seed.
I ate the first one standing in the path with the soil still on it, and it was the best thing I
have tasted all spring.

Radishes are the gardener's consolation prize. You cannot really fail with them, and when
everything else is sulking they make you feel like you know what you are doing.
""",
    ),
    DemoPost(
        "The summer fete, by the numbers",
        datetime(2025, 6, 28, 20, 0),
        ("Millbrook",),
        """The fete happened, the sun stayed out, and the tombola broke its record. Our treasurer
sent round the totals this evening and I cannot resist sharing them.

| Stall | Raised | Notes |
| --- | ---: | --- |
| Tombola | £412 | mostly bath salts, again |
| Cake stall | £389 | sold out by half past eleven |
| Plant stall | £276 | the tomato boy sold every seedling |
| Dog show | £150 | best in show: a very old spaniel called Biscuit |
| Bric-a-brac | £98 | one mysterious brass diving helmet, unsold |

That comes to £1,325 for the church roof fund, with the raffle still to count.

Thank you to everyone who baked, carried tables, or stood in a field for six hours being cheerful.
The diving helmet is available to anyone who wants it.
""",
        comments=(
            DemoComment("jonas", 90, "I am going to need to know more about the diving helmet."),
            DemoComment("maud", 200, "It was my late husband's. Please give it a good home.", reply_to=0),
        ),
    ),
    DemoPost(
        "A hundred kilometres to the coast",
        datetime(2025, 7, 20, 19, 0),
        ("Cycling", "Seasons"),
        """Every summer I say I will ride to the sea, and every summer something comes up. This year
nothing came up, so at six o'clock on a Saturday morning I rolled out of Millbrook with two water
bottles and a bag of Nell's flapjack.

<!--more-->

## The first half

The lanes south of town are flat and empty at that hour. I averaged a speed I will not write down in
case anyone checks, and reached the market town at Eastry in time for the bakery to open. Two
coffees, one bacon roll, and the comfortable feeling that the hard part was done.

## The second half

It was not done. After Eastry the road climbs over the downs in three long steps, and a headwind
arrived exactly when the hills did. I walked the last hundred metres of the steepest one and I am
not ashamed. Much.

## The sea

And then, from the top of the last rise, a grey line that turned blue as I got closer. I sat on the
shingle with my shoes off and ate the last of the flapjack and did not think about anything at all.

I took the train home. My advice: ride the hundred kilometres, catch the train back, and never let
anyone tell you that does not count.
""",
        by="author",
        comments=(
            DemoComment("priya", 120, "The train absolutely counts. Congratulations, Tom!"),
            DemoComment("jonas", 600, "Which route over the downs? I want to try this in September."),
            DemoComment(
                "author",
                700,
                "The one through Wye. It is the longest climb but the quietest road.",
                reply_to=1,
            ),
        ),
    ),
    DemoPost(
        "Courgette season has no off switch",
        datetime(2025, 8, 12, 12, 0),
        ("Cooking", "Garden", "Recipes"),
        """In June the courgettes would not grow. In August they will not stop. I picked eleven this
morning, two of them the size of a small dog, and there is no one left in the street I can give
them to.

So, in the spirit of survival, the three things I have been making on repeat:

1. **Fritters.** Grate, salt, squeeze hard in a tea towel, mix with an egg, feta and mint, and fry in
   spoonfuls. The squeezing is the whole secret.
2. **Courgette and lemon pasta.** Cut into thin coins, fry slowly in butter until golden, then toss
   with pasta, lemon zest and too much parmesan.
3. **Chocolate courgette cake.** Nobody guesses. It is the only way I have ever got Tom to eat a
   vegetable without complaint.

The big ones go to Maud's chickens, who are the only creatures in Millbrook still pleased to see them.
""",
    ),
    DemoPost(
        "The great scone question",
        datetime(2025, 9, 13, 9, 0),
        ("Cooking", "Millbrook"),
        """Ahead of the autumn baking competition, I made a batch of plain scones this morning and
put a simple question to the people who came round for tea: jam first, or cream first?

The room divided instantly and without mercy. Old friendships were tested. Maud said something about
butter that I cannot repeat.

For the record, here is how I make them. Rub 50 g of cold butter into 225 g of self-raising flour,
stir in a tablespoon of sugar and about 150 ml of milk, pat out to two fingers thick, cut, and
bake at 220 °C for twelve minutes. The dough should be handled as little as you can bear.

As for the question, I am not going to answer it. I am going to let you fight it out below.
""",
        comments=SCONE_COMMENTS,
    ),
    DemoPost(
        "Apple day at the orchard",
        datetime(2025, 10, 4, 15, 0),
        ("Millbrook", "Seasons"),
        """The community orchard had its apple day today, and half of Millbrook turned up with carrier
bags. There are forty-two trees and at least thirty varieties, some so old that nobody is quite sure
of their names.

We pressed juice with the big wooden press, which takes four people and a great deal of shouting.
The children were in charge of the scratter, the machine that crushes the apples first, and took
the job very seriously.

My favourite of the day was a small russet with a taste like pear drops. The man from the
horticultural society thinks it might be an Egremont. Maud thinks it is a variety that only grows
in this valley and has never been written down. I know which story I prefer.
""",
    ),
    DemoPost(
        "Riding through the dark months",
        datetime(2025, 11, 19, 17, 0),
        ("Cycling", "Seasons"),
        """The clocks have gone back and the ride home from the workshop is now entirely in the dark.
I used to put the bike away from November to March. These days I ride all winter, and I enjoy it
more than I expected.

What makes it work:

- **Lights you could read by.** A front light bright enough to see the potholes, not just to be
  seen, and a rear light on a steady beam as well as a flashing one.
- **Mudguards.** Full ones. Your back, and the person behind you, will thank you.
- **Gloves in two weights**, because a frosty morning and a wet evening are different problems.
- **Slower tyres.** Something with a bit of tread and a puncture belt. Speed is not the point in
  December.

> There is no such thing as bad weather, only the wrong clothes.

People in Millbrook say it as if it is a local proverb. It is not, but it is right, mostly. Sleet
is bad weather whatever you wear.
""",
        by="author",
    ),
    DemoPost(
        "What we ate at Christmas",
        datetime(2025, 12, 27, 13, 0),
        ("Cooking",),
        """Eight of us around a table meant for six, which is the right number for Christmas.

We had a goose this year instead of turkey, roasted slowly with the fat poured off every half hour
into a jar that will keep the potatoes crisp until spring. Red cabbage braised with apple and
cloves the day before. Sprouts with chestnuts, because somebody has to.

Pudding was a sticky toffee one, as the Christmas pudding from last year was discovered still
wrapped in the back of the cupboard. It will come out next year. It improves with age, like the rest
of us.

I hope your table was as crowded as ours.
""",
    ),
    DemoPost(
        "Marmalade week",
        datetime(2026, 1, 20, 10, 30),
        ("Cooking", "Recipes", "Seasons"),
        """Seville oranges arrive in the greengrocer's for about three weeks in January, and then they
are gone. So this is marmalade week, and the kitchen smells of bitter orange and boiling sugar.

<!--more-->

I use the whole-fruit method, because it is the least fiddly: simmer the oranges whole for two
hours, until soft, then cut them open, scoop out the pips, slice the peel and boil everything with
the sugar.

The test for a set is the cold saucer. Keep two saucers in the freezer, drip a little marmalade onto
one, wait a minute, and push it with your finger. If it wrinkles, it is ready. If it runs, boil for
five more minutes and try again. It nearly always takes longer than you think.

This year made fourteen jars. Six are spoken for already. The rest will see me through to next
January, if Tom does not find where I hide them.
""",
    ),
    DemoPost(
        "Baker's maths in four lines",
        datetime(2026, 2, 24, 11, 15),
        ("Cooking", "Notes"),
        """Bakers write recipes as percentages of the flour, which sounds fussy until you want to
make a loaf a bit bigger or smaller. Then it is the only thing that makes sense.

Flour is always 100%. Everything else is its weight divided by the flour's weight. A dough with
500 g of flour and 360 g of water is 72% hydration.

Tom, who does not bake but does like a spreadsheet, wrote me this to scale a recipe to any amount of
flour:

```python
# Weights in grams for a recipe given as percentages of the flour.
def scale(recipe: dict[str, float], flour_grams: float) -> dict[str, float]:
    return {name: round(flour_grams * percent / 100) for name, percent in recipe.items()}

print(scale({"flour": 100, "water": 72, "starter": 20, "salt": 2}, 750))
```

For 750 g of flour it gives 540 g of water, 150 g of starter and 15 g of salt. I have written the
numbers on a card on the fridge, which works just as well, but I appreciate the thought.
""",
    ),
    DemoPost(
        "The bridge is finally fixed",
        datetime(2026, 3, 28, 12, 0),
        ("Millbrook", "Cycling"),
        """After eighteen months, four public meetings and one memorable letter to the paper, the
footbridge over the Mill Stream reopened this morning.

For anyone who does not live here: the bridge is the only way to cross the stream without going
round by the main road, and for a year and a half every walk to school, every trip to the shop and
every ride out of town has been a mile longer than it needed to be.

The new bridge is wider, has a proper ramp at each end so you can push a bike or a pram across,
and has a small plaque that thanks "the patience of the people of Millbrook". We were not patient.
But it is a lovely bridge.

The mayor cut a ribbon, the brass band played (the tuba is back), and Tom was the first person to
ride across it, which I suspect he had been planning for some time.
""",
        comments=(DemoComment("jonas", 300, "Rode across it this afternoon. Smooth as anything."),),
    ),
    DemoPost(
        "Seed swap at the library",
        datetime(2026, 5, 9, 14, 30),
        ("Garden", "Millbrook"),
        """The library held its first seed swap this afternoon, and I came home with more seeds than I
took, which I believe is the opposite of how a swap is meant to work.

The idea is simple: bring seeds you saved or have spare, put them in a labelled envelope, and take
what you will grow. The tables were sorted into beans, flowers, herbs and "miscellaneous", the last
of which included a packet labelled only *very tall, do not plant near house*.

I have planted it at the far end of the allotment. I will let you know.
""",
    ),
    DemoPost(
        "A picnic you can carry on a bike",
        datetime(2026, 6, 22, 9, 45),
        ("Cooking", "Cycling", "Seasons"),
        """Midsummer, and Tom and I rode out to the hill above Halden for a picnic. Carrying a picnic on
a bike teaches you what matters. Glass stays at home. Anything that can be squashed will be.

What survived the journey well:

- a thick frittata, cut into squares at home and wrapped in paper
- flatbreads, which do not mind being sat on
- a jar of white bean dip with lemon and garlic
- cherries, in a tin, not a bag
- a wedge of hard cheese and the last jar of marmalade

What did not: strawberries. There was a strawberry incident. We will not speak of it.

The view from the top is of the whole valley, the river, the church tower and, if you look carefully,
the new bridge. We stayed until the light went gold and then freewheeled most of the way home.
""",
        by="author",
    ),
    DemoPost(
        "Notes from a heatwave",
        datetime(2026, 8, 13, 7, 0),
        ("Garden", "Seasons"),
        """It has been over thirty degrees for nine days. The allotment is cracked like old paint and the
water butts are empty. I go down at six in the morning, before the heat, and water the things most
likely to die.

The rest of the day the town is very still. Shops keep their doors propped open. The dog that sleeps
outside the butcher's has moved inside, and nobody has the heart to move him.

> Gardening is a long argument with the weather, and the weather always gets the last word.

I wrote that in my notebook last summer and it still feels true. The mystery seeds from the library,
by the way, turned out to be sunflowers. They are now taller than the shed and the only thing on the
allotment that seems to be enjoying itself.
""",
    ),
    DemoPost(
        "Two years of this blog, nearly",
        datetime(2026, 10, 14, 19, 30),
        ("Notes", "Millbrook"),
        """This blog will be two years old in February, which is long enough to look back at the first
post and wince a little. Thank you for reading, and especially to everyone who comments: the scone
thread alone has become something of a local landmark.

A few things I have learned about writing a small blog:

- Write about what you did this week, not what you think people want to read.
- Short posts are fine. Nobody ever complained that a soup recipe was too brief.
- Your neighbours will read it. Choose your words about the parish council accordingly.

If you want to start one yourself, the [Blogger help pages](https://support.google.com/blogger/)
are a good place to see what a blog can be, even if you end up running your own like this one.

More soon. The winter menu is being planned.
""",
        comments=(
            DemoComment("maud", 60, "Here's to two more years. And more scones."),
            DemoComment("priya", 150, "This blog is the first thing I read on a Saturday. Thank you."),
            DemoComment("admin", 200, "That is a lovely thing to hear, Priya.", reply_to=1),
        ),
    ),
    DemoPost(
        "Planning the winter menu",
        None,
        ("Cooking",),
        """Still thinking about this. So far:

- a proper cassoulet, over two days
- that beetroot soup from the market man
- something with the last of the quinces

Ask Maud about her mother's suet pudding.
""",
        status="draft",
    ),
    DemoPost(
        "Christmas cake, started early",
        None,
        ("Cooking", "Recipes", "Seasons"),
        """The Christmas cake goes in the oven a month before Christmas, so that it has time to be fed.
Feeding, in this case, means a spoonful of brandy poured over it once a week.

<!--more-->

Soak the fruit the night before: a kilo of mixed dried fruit, the zest and juice of an orange and a
good splash of brandy. In the morning, cream butter and dark sugar, beat in the eggs one by one, and
fold in the flour, spice and fruit.

Bake it low and slow, at 140 °C for about four hours, with a collar of brown paper around the tin so
the edges do not burn. It is done when a skewer comes out clean.

Then wrap it up, hide it in a tin, and try to forget it is there.
""",
        status="scheduled",
    ),
)


PAGES = (
    DemoPage(
        "About",
        "about",
        0,
        """Hello, I am Nell. I live in Millbrook, a small town by a river with a market on Saturdays, a
brass band with one tuba and a footbridge that has, at last, been fixed.

I write here about what I cook, where I ride and what goes on in town. My neighbour Tom writes the
longer cycling posts, because he rides further than I do and knows what all the parts are called.

This is a demo blog: the town, the people and the scones are made up, so that you can try the blog
engine with something to read. Comments are open to members of the blog.
""",
    ),
    DemoPage(
        "Comment policy",
        "comment-policy",
        1,
        """Comments here are for members of the blog. If you would like to join in, ask Nell.

- Be kind. Disagree about scones as much as you like, but not about people.
- Stay on the subject of the post, more or less.
- No advertising, and no links that you would not show your grandmother.

Comments that break these rules are removed without discussion. Thank you for keeping this a
pleasant corner of the internet.
""",
    ),
)
