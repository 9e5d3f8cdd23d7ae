namespace Hera.EngineAdapters.Demo;

/// <summary>
/// Word lists the generator draws names and titles from. Mixed case, embedded spaces, accented Latin and CJK
/// letters are deliberate: they exercise collation, case folding and UTF-8 handling on every engine. Changing a
/// list changes the generated rows, so the determinism test's expected hash changes with it.
/// </summary>
internal static class ShopVocabulary
{
    /// <summary>Top-level categories and their leaves; ids are assigned in this order.</summary>
    public static readonly (string Parent, string[] Leaves)[] Categories =
    [
        ("Electronics 电子", ["Phones 手机", "Laptops", "headphones", "Smart Home", "Cameras Caméras"]),
        ("Home & Küche", ["Cookware", "Möbel Furniture", "Bedding 床品", "lighting"]),
        ("Mode 服装", ["Dresses Robes", "Sneakers", "Outdoor Jackets", "Accessoires"]),
        ("Beauté & Care", ["Skincare 护肤", "Make-up", "fragrance Parfum"]),
        ("Books 書籍", ["Fiction", "Kochbücher", "Comics マンガ", "Science"]),
        ("Sports Outdoor", ["Cycling Vélo", "Camping", "Yoga", "Running 跑步"]),
        ("Toys & Games", ["Board Games", "LEGO Bricks", "Puzzles"]),
        ("Grocery Épicerie", ["Café Ünïcode Coffee", "Tea 茶", "Snacks", "Olive Oil"]),
        ("Garden Jardín", ["Tools", "Plants 植物", "BBQ Grills"]),
        ("Auto & Moto", ["Car Care", "Motorrad Parts", "GPS Navigation"]),
    ];

    /// <summary>Names of the big sellers (seller ids 1..n); the first two are the offline-search seed's examples.</summary>
    public static readonly string[] BigSellers =
    [
        "Ele.me 饿了么", "Hema Fresh 盒马鲜生", "Café Ünïcode Official", "NORDIC home Store", "Tokyo Gadget ハブ",
    ];

    public static readonly string[] SellerWords =
    [
        "Blue", "Golden", "little", "Grüne", "Maison", "Tienda", "小米", "Urban", "BRIGHT", "Ōsaka", "Nordic", "Zhōng",
    ];

    public static readonly string[] SellerKinds =
    [
        "Shop", "Trading Co", "store", "Boutique", "Händler", "商行", "Market", "Atelier", "Outlet", "Depot",
    ];

    public static readonly string[] Regions =
    [
        "North", "South", "East", "West", "Central", "Île-de-France", "Bayern", "华东 East China", "Kantō", "São Paulo",
    ];

    public static readonly string[] TitleAdjectives =
    [
        "Premium", "eco", "ÜBER", "Petit", "经典", "Café Ünïcode", "smart", "Mini", "XL", "Deluxe", "Leicht", "Nouveau",
        "ultra", "Ōmega",
    ];

    public static readonly string[] TitleSuffixes =
    [
        "Pro", "2026", "édition limitée", "套装", "v2", "Max", "Lite", "Set of 3", "Größe M", "Original",
    ];

    public static readonly string[] FirstNames =
    [
        "Anna", "José", "Zoë", "Björn", "王", "李", "Chloé", "Mohammed", "Aiko", "Łukasz", "Sofía", "liam", "Émile",
        "Nguyễn", "Olga", "Søren",
    ];

    public static readonly string[] LastNames =
    [
        "Müller", "Álvarez", "Smith", "芳", "伟", "Dubois", "Kowalski", "Tanaka", "O'Brien", "García", "Ivanova",
        "van der Berg", "Ståhl", "Nakamura",
    ];

    public static readonly string[] Cities =
    [
        "Zürich", "São Paulo", "北京", "Shanghai 上海", "new york", "Köln", "Kraków", "Montréal", "Tokyo", "Reykjavík",
        "Los Angeles", "Málaga", "Berlin", "深圳",
    ];
}
