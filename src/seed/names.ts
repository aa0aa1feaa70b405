// Name pools for synthetic professionals. Common French given names of people
// aged roughly 30–65, and family names frequent in each region (Charente-Maritime,
// the Lyon suburbs, La Réunion), so a demo list reads like a real directory.

export const FEMALE_GIVEN_NAMES = [
  'Nathalie', 'Isabelle', 'Sandrine', 'Valérie', 'Stéphanie', 'Céline', 'Sophie', 'Caroline', 'Virginie', 'Aurélie',
  'Émilie', 'Julie', 'Camille', 'Claire', 'Anne', 'Marie', 'Hélène', 'Laure', 'Élodie', 'Audrey',
  'Delphine', 'Karine', 'Christelle', 'Mélanie', 'Laetitia', 'Sarah', 'Pauline', 'Marion', 'Charlotte', 'Manon',
  'Léa', 'Chloé', 'Justine', 'Agnès', 'Florence', 'Béatrice', 'Catherine', 'Sylvie', 'Véronique', 'Corinne',
  'Amandine', 'Anaïs', 'Inès', 'Nadia', 'Sabrina', 'Samira', 'Leïla', 'Myriam', 'Lucie', 'Mathilde',
] as const;

export const MALE_GIVEN_NAMES = [
  'Philippe', 'Christophe', 'Stéphane', 'Laurent', 'Olivier', 'Nicolas', 'Sébastien', 'Frédéric', 'Julien', 'Guillaume',
  'Thomas', 'Antoine', 'Pierre', 'Jean', 'François', 'Éric', 'David', 'Vincent', 'Jérôme', 'Arnaud',
  'Mathieu', 'Romain', 'Benoît', 'Alexandre', 'Maxime', 'Hugo', 'Louis', 'Paul', 'Bruno', 'Thierry',
  'Patrick', 'Didier', 'Yannick', 'Cédric', 'Fabien', 'Damien', 'Xavier', 'Bertrand', 'Emmanuel', 'Gilles',
  'Karim', 'Mehdi', 'Yassine', 'Samir', 'Rachid', 'Adrien', 'Florian', 'Kevin', 'Baptiste', 'Quentin',
] as const;

/** Frequent across France. */
const FRENCH_FAMILY_NAMES = [
  'Martin', 'Bernard', 'Dubois', 'Thomas', 'Robert', 'Richard', 'Petit', 'Durand', 'Leroy', 'Moreau',
  'Simon', 'Laurent', 'Lefebvre', 'Michel', 'Garcia', 'David', 'Bertrand', 'Roux', 'Vincent', 'Fournier',
  'Morel', 'Girard', 'André', 'Lefèvre', 'Mercier', 'Dupont', 'Lambert', 'Bonnet', 'François', 'Martinez',
  'Legrand', 'Garnier', 'Faure', 'Rousseau', 'Blanc', 'Guérin', 'Muller', 'Henry', 'Roussel', 'Nicolas',
  'Perrin', 'Morin', 'Mathieu', 'Clément', 'Gauthier', 'Dumont', 'Lopez', 'Fontaine', 'Chevalier', 'Robin',
] as const;

/** Frequent in Charente-Maritime and the Saintonge. */
const SAINTONGE_FAMILY_NAMES = [
  'Gaborit', 'Texier', 'Chaigneau', 'Bouyer', 'Tesson', 'Brunet', 'Guillon', 'Rivière', 'Renaud', 'Boutin',
  'Gaillard', 'Coutant', 'Bouchet', 'Arnaud', 'Mounier', 'Charrier', 'Pineau', 'Bigot', 'Auger', 'Massé',
  'Sicard', 'Rabier', 'Jolly', 'Moinard', 'Baudry', 'Chauvet', 'Giraud', 'Marchand', 'Barbot', 'Hervé',
] as const;

/** Frequent in the Lyon suburbs, whose families came from every corner of France and beyond. */
const LYON_FAMILY_NAMES = [
  'Bonnard', 'Chabert', 'Perret', 'Jacquet', 'Guillot', 'Berthet', 'Rey', 'Chapuis', 'Bouvier', 'Vial',
  'Benali', 'Haddad', 'Bensaïd', 'Mansouri', 'Bouzid', 'Cherif', 'Amrani', 'Belkacem', 'Kaci', 'Hamidi',
  'Nguyen', 'Tran', 'Pham', 'Rossi', 'Ferrari', 'Russo', 'Da Silva', 'Pereira', 'Ferreira', 'Santos',
  'Petrossian', 'Manoukian', 'Yilmaz', 'Kaya', 'Diallo', 'Traoré', 'Sow', 'Ben Salem', 'Saidi', 'Lopez',
] as const;

/** Frequent in La Réunion. */
const REUNION_FAMILY_NAMES = [
  'Payet', 'Hoarau', 'Grondin', 'Fontaine', 'Rivière', 'Boyer', 'Técher', 'Maillot', 'Robert', 'Lebon',
  'Nativel', 'Dijoux', 'Turpin', 'Bègue', 'Lauret', 'Damour', 'Ethève', 'Mussard', 'Hoareau', 'Sautron',
  'Lebreton', 'Clain', 'Morel', 'Gonthier', 'Cadet', 'Baret', 'Vienne', 'Ramassamy', 'Moutoussamy', 'Virapoullé',
  'Soubou', 'Ah-Hot', 'Ah-Fah', 'Valy', 'Hassen', 'Patel', 'Mamode', 'Lallemand', 'Picard', 'Bertil',
] as const;

export const FAMILY_NAMES_BY_REGION = {
  saintonge: [...SAINTONGE_FAMILY_NAMES, ...FRENCH_FAMILY_NAMES],
  lyon: [...LYON_FAMILY_NAMES, ...FRENCH_FAMILY_NAMES],
  reunion: [...REUNION_FAMILY_NAMES, ...REUNION_FAMILY_NAMES, ...FRENCH_FAMILY_NAMES],
} as const;

export type NameRegion = keyof typeof FAMILY_NAMES_BY_REGION;
