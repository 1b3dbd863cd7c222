"""Spanish-looking names, streets, notes and products for the generated data set."""

# fmt: off
NOMBRES = [
    "José", "María", "Ana", "Juan", "Luis", "Carlos", "Jorge", "Andrés", "Sofía", "Lucía",
    "Martín", "Valentina", "Camila", "Mateo", "Sebastián", "Nicolás", "Daniela", "Alejandro",
    "Gabriela", "Mariana", "Isabel", "Fernando", "Ramón", "Inés", "Jesús", "Óscar", "Raúl",
    "Adrián", "Begoña", "Íñigo", "Ángela", "Ángel", "Rocío", "Mónica", "Verónica", "Tomás",
    "Julián", "Simón", "Joaquín", "Agustín", "Benjamín", "Emilia", "Renata", "Ximena", "Paula",
    "Laura", "Diana", "Carolina", "Natalia", "Felipe", "Santiago", "Diego", "Manuel", "Pedro",
    "Pablo", "Miguel", "Rafael", "Héctor", "Víctor", "Álvaro", "Elena", "Marta", "Rosa", "Pilar",
    "Nuria", "Concepción", "Asunción", "Teresa", "Beatriz", "Lorena", "Salomé", "Noé", "Efraín",
    "Germán", "Rubén", "Iván", "Hernán", "Cristóbal", "Zoé", "Maite", "Ainhoa", "Iker", "Unai",
    "Aitana", "Dolores", "Consuelo", "Amparo", "Estefanía", "Leonardo", "Ricardo", "Esteban",
    "Gonzalo", "Ignacio", "Mauricio", "Patricia", "Sara", "Alba", "Noelia", "Yolanda",
]
APELLIDOS = [
    "García", "Rodríguez", "González", "Fernández", "López", "Martínez", "Sánchez", "Pérez",
    "Gómez", "Martín", "Jiménez", "Ruiz", "Hernández", "Díaz", "Moreno", "Muñoz", "Álvarez",
    "Romero", "Alonso", "Gutiérrez", "Navarro", "Torres", "Domínguez", "Vázquez", "Ramos", "Gil",
    "Ramírez", "Serrano", "Blanco", "Molina", "Morales", "Suárez", "Ortega", "Delgado", "Castro",
    "Ortiz", "Rubio", "Marín", "Sanz", "Núñez", "Iglesias", "Medina", "Garrido", "Cortés",
    "Castillo", "Santos", "Lozano", "Guerrero", "Cano", "Prieto", "Méndez", "Cruz", "Calvo",
    "Gallego", "Vidal", "León", "Márquez", "Herrera", "Peña", "Flores", "Cabrera", "Campos",
    "Vega", "Fuentes", "Carrasco", "Díez", "Caballero", "Reyes", "Nieto", "Aguilar", "Pascual",
    "Santana", "Herrero", "Lorenzo", "Hidalgo", "Montero", "Ibáñez", "Giménez", "Ferrer", "Durán",
    "Santiago", "Benítez", "Mora", "Vicente", "Vargas", "Arias", "Carmona", "Crespo", "Román",
    "Pastor", "Soto", "Sáez", "Velasco", "Moya", "Soler", "Parra", "Esteban", "Bravo", "Gallardo",
    "Rojas", "Ordóñez", "Zúñiga", "Quiñones", "Londoño", "Restrepo", "Echeverri", "Castaño",
    "Muñetón", "Peñaloza", "Avendaño", "Cárdenas", "Bermúdez", "Gaitán", "Valdés", "Villalobos",
    "Acuña", "Ospina", "Báez",
]
# fmt: on

# Appears in about one customer in 25,000: the "rare term" of the search scenarios.
APELLIDO_RARO = "Zubizarreta"

DOMINIOS = ("gmail.com", "hotmail.com", "outlook.es", "yahoo.es", "correo.co", "empresa.com.co")
CALLES = ("Calle", "Carrera", "Avenida", "Transversal", "Diagonal", "Av. Calle", "Cra.")
CIUDADES = (
    "Bogotá", "Medellín", "Cali", "Barranquilla", "Cartagena", "Bucaramanga", "Pereira",
    "Manizales", "Cúcuta", "Ibagué", "Popayán", "Santa Marta",
)  # fmt: skip
NOTAS_CLIENTE = (
    "Prefiere contacto por WhatsApp",
    "Cliente mayorista",
    "Pide factura electrónica",
    "Llamar después de las 3 p. m.",
    "Descuento del 5 % acordado",
)
NOTAS_VENTA = (
    "Pago con tarjeta",
    "Entrega a domicilio",
    "Pago en efectivo",
    "Transferencia bancaria",
    "Incluye instalación",
)
MOTIVOS_CANCELACION = ("Devolución del cliente", "Error en la factura", "Producto agotado")

# Line items of sales and quotations (a hardware store's counter).
PRODUCTOS = (
    "Cemento gris 50 kg",
    "Varilla corrugada 1/2 pulgada",
    "Arena lavada (m³)",
    "Pintura blanca tipo 1, galón",
    "Tornillo drywall 1 pulgada, caja × 100",
    "Ladrillo tolete común",
    "Tubo PVC sanitario 4 pulgadas × 6 m",
    "Cable eléctrico n.º 12 (m)",
    "Teja de fibrocemento n.º 6",
    "Bloque de concreto 15 × 20 × 40",
    "Pegante cerámico 25 kg",
    "Baldosa de cerámica 45 × 45 (m²)",
    "Llave de paso ½ pulgada",
    "Malla electrosoldada 6 × 2,35 m",
    "Impermeabilizante acrílico, cuñete",
    "Puntilla con cabeza 2 pulgadas (lb)",
)
